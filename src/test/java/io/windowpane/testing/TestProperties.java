package io.windowpane.testing;

import io.windowpane.config.AggProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;

/** {@link AggProperties} bound as the application binds them, without starting it. */
public final class TestProperties {

  private TestProperties() {}

  /** The packaged defaults (application.yml) with these overrides ({@code agg.mode -> batch}). */
  public static AggProperties with(Map<String, String> overrides) {
    MutablePropertySources sources = new MutablePropertySources();
    sources.addFirst(new MapPropertySource("overrides", new HashMap<>(overrides)));
    try {
      new YamlPropertySourceLoader().load("defaults", new ClassPathResource("application.yml"))
          .forEach(sources::addLast);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Binder(ConfigurationPropertySources.from(sources), null,
        ApplicationConversionService.getSharedInstance()).bind("agg", AggProperties.class).get();
  }
}
