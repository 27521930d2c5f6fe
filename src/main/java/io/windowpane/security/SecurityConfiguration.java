package io.windowpane.security;

import io.windowpane.sink.PageFeed;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may look (docs/operations.md): the page, {@code /api} and {@code /actuator} are the user's business data, so
 * everything asks for a login except {@code /actuator/health} (for probes) and the pipeline's own feed, which carries
 * a token made for the run. Spring Boot's user: {@code spring.security.user.name}/{@code .password}, or a generated
 * password logged at startup. HTTP Basic only, no session: a browser shows its own prompt, and Prometheus, curl and
 * the browser send the same credentials.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET) // no web server, nothing to guard
class SecurityConfiguration {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  @Bean
  SecurityFilterChain windowpaneSecurity(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers(EndpointRequest.to("health")).permitAll()
            .requestMatchers(HttpMethod.POST, PageFeed.PATH + "*").permitAll()
            .anyRequest().authenticated())
        .httpBasic(Customizer.withDefaults())
        // Nothing here is a form a browser submits. What CSRF guards against is a page on another site making the
        // browser send a write with the credentials it remembers; Fetch Metadata says when that is so. curl,
        // Prometheus and the pipeline's feed send no such header and need no token.
        .csrf(csrf -> csrf.requireCsrfProtectionMatcher(SecurityConfiguration::crossSiteWrite));
    return http.build();
  }

  /** A write a browser sends on behalf of another site's page (Sec-Fetch-Site: cross-site or same-site). */
  static boolean crossSiteWrite(HttpServletRequest request) {
    String site = request.getHeader("Sec-Fetch-Site");
    return !SAFE_METHODS.contains(request.getMethod()) && site != null
        && !site.equals("same-origin") && !site.equals("none");
  }
}
