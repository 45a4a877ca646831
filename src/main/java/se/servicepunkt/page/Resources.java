package se.servicepunkt.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the page resources from the class path, in a folder or in the jar (at start-up: blocking). */
final class Resources {
  private Resources() {
  }

  /** The names of the files directly in the class-path folder {@code folder} (e.g. "pages/static"), sorted. */
  static List<String> list(String folder) {
    URL url = Resources.class.getClassLoader().getResource(folder);
    if (url == null) {
      throw new IllegalStateException(folder + " is not on the class path");
    }
    try {
      if ("jar".equals(url.getProtocol())) {
        FileSystem jar;
        try {
          jar = FileSystems.newFileSystem(url.toURI(), Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          jar = FileSystems.getFileSystem(url.toURI());
        }
        return names(jar.getPath(folder));
      }
      return names(Path.of(url.toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static byte[] read(String resource) {
    try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
