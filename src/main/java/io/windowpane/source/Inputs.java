package io.windowpane.source;

import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.launch.TempFolders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Resolves the input locations users configure: file paths, globs, and {@code classpath:} resources (the built-in
 * sample and scenario). Problems become {@link InvalidJobSpecException}s naming the property, at startup.
 */
public final class Inputs {

  public static final String CLASSPATH_PREFIX = "classpath:";

  private Inputs() {}

  /** The whole text of a small input (a scenario) at a file path or classpath location. */
  public static String readText(String property, String location) {
    try {
      if (location.startsWith(CLASSPATH_PREFIX)) {
        try (InputStream in = classpathResource(property, location)) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.readString(Path.of(location), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidJobSpecException(property, location, "file not found (" + absolute(location) + ")");
    } catch (IOException e) {
      throw new InvalidJobSpecException(property, location, "cannot be read: " + e, e);
    }
  }

  /** A file pattern and the local files it matched at startup. */
  public record MatchedFiles(String pattern, List<Path> files) {
    public MatchedFiles {
      files = List.copyOf(files);
    }
  }

  /**
   * A file pattern Beam's file systems can read, with at least one match. A {@code classpath:} resource is copied to
   * a temporary file first: resources inside the packaged jar are not files Beam can open or split.
   */
  public static MatchedFiles filePattern(String property, String location) {
    if (location.isBlank()) {
      throw new InvalidJobSpecException(property, location, "must name a file, a glob or a classpath: resource");
    }
    if (location.startsWith(CLASSPATH_PREFIX)) {
      Path copy = copyToTempFile(property, location);
      return new MatchedFiles(copy.toString(), List.of(copy));
    }
    List<MatchResult.Metadata> matches;
    try {
      MatchResult result = FileSystems.match(List.of(location), EmptyMatchTreatment.DISALLOW).get(0);
      matches = result.metadata();
    } catch (IOException e) {
      throw new InvalidJobSpecException(property, location,
          "no file matches " + absolute(location), e);
    }
    List<Path> files = new java.util.ArrayList<>();
    for (MatchResult.Metadata file : matches) {
      Path path = Path.of(file.resourceId().toString());
      if (Files.exists(path) && !Files.isReadable(path)) {
        throw new InvalidJobSpecException(property, location, "file " + path + " is not readable");
      }
      files.add(path);
    }
    return new MatchedFiles(location, files);
  }

  private static InputStream classpathResource(String property, String location) {
    String name = location.substring(CLASSPATH_PREFIX.length()).replaceFirst("^/", "");
    InputStream in = Inputs.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new InvalidJobSpecException(property, location, "no such classpath resource");
    }
    return in;
  }

  private static Path copyToTempFile(String property, String location) {
    try (InputStream in = classpathResource(property, location)) {
      String name = Path.of(location.substring(CLASSPATH_PREFIX.length())).getFileName().toString();
      // in a folder named after this process, which the next start removes if this one is killed
      Path copy = TempFolders.createRemovedAtExit("windowpane-input-").resolve(name);
      Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new InvalidJobSpecException(property, location, "cannot copy the resource to a temporary file: " + e, e);
    }
  }

  private static String absolute(String location) {
    try {
      return Path.of(location).toAbsolutePath().toString();
    } catch (RuntimeException e) {
      return location;
    }
  }
}
