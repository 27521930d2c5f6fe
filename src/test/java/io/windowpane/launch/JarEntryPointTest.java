package io.windowpane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;

/**
 * The launch package is the executable jar's entry point and runs from the jar's root, where only the JDK is on the
 * class path (pom.xml copies it there): a class of it that used a library would fail with NoClassDefFoundError in
 * the JVM the user started, and only on the path that reached it (a cache clean-up, say).
 */
class JarEntryPointTest {

  /** Class names in a class file's constants: class entries, and types in descriptors and signatures. */
  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

  @Test
  void theLaunchPackageUsesNothingButTheJdk() throws Exception {
    Path classes = Path.of(JarEntryPoint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path launchPackage = classes.resolve("io/windowpane/launch");
    List<Path> classFiles;
    try (Stream<Path> files = Files.list(launchPackage)) {
      classFiles = files.filter(file -> file.toString().endsWith(".class")).toList();
    }
    assertThat(classFiles).extracting(file -> file.getFileName().toString())
        .contains("JarEntryPoint.class", "HeapCappedRelaunch.class", "FastStartCache.class", "TempFolders.class");

    Set<String> outside = new TreeSet<>();
    for (Path classFile : classFiles) {
      for (String type : referencedTypes(Files.readAllBytes(classFile))) {
        if (!type.startsWith("java/") && !type.startsWith("jdk/") && !type.startsWith("io/windowpane/launch/")) {
          outside.add(classFile.getFileName() + " uses " + type);
        }
      }
    }
    assertThat(outside).isEmpty();
  }

  @Test
  void theCheckSeesALibraryClass() throws Exception {
    // the check above would pass on any class if it could not see a reference: this test class uses AssertJ and ASM
    byte[] self = Files.readAllBytes(Path.of(getClass().getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("io/windowpane/launch/JarEntryPointTest.class"));
    assertThat(referencedTypes(self)).contains("org/assertj/core/api/Assertions", "org/springframework/asm/ClassReader");
  }

  private static Set<String> referencedTypes(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    char[] buffer = new char[reader.getMaxStringLength()];
    Set<String> types = new TreeSet<>();
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = classFile[offset - 1];
      if (tag == 7) { // CONSTANT_Class: a class name, or an array descriptor
        String name = reader.readUTF8(offset, buffer);
        if (name.startsWith("[")) {
          addDescriptorTypes(name, types);
        } else {
          types.add(name);
        }
      } else if (tag == 1) { // CONSTANT_Utf8: descriptors and generic signatures among other strings
        addDescriptorTypes(utf8(classFile, offset), types);
      }
    }
    return types;
  }

  private static void addDescriptorTypes(String descriptor, Set<String> types) {
    Matcher matcher = TYPE_IN_DESCRIPTOR.matcher(descriptor);
    while (matcher.find()) {
      types.add(matcher.group(1));
    }
  }

  /** The text of a CONSTANT_Utf8 entry whose tag is at {@code offset - 1}. */
  private static String utf8(byte[] classFile, int offset) {
    int length = ((classFile[offset] & 0xff) << 8) | (classFile[offset + 1] & 0xff);
    return new String(classFile, offset + 2, length, java.nio.charset.StandardCharsets.UTF_8);
  }
}
