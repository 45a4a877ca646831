package se.servicepunkt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The message bundles: the same keys in both languages, read as UTF-8, and every key a template uses exists. */
class MessagesTest {
  private static final Messages MESSAGES = Messages.load();

  @Test
  void bothLanguagesHaveTheSameKeysAndNoEmptyMessage() {
    assertEquals(new TreeSet<>(MESSAGES.keys(Lang.SV)), new TreeSet<>(MESSAGES.keys(Lang.EN)));
    for (Lang lang : Lang.values()) {
      for (String key : MESSAGES.keys(lang)) {
        assertFalse(MESSAGES.get(lang, key).isBlank(), lang + " " + key);
      }
    }
  }

  @Test
  void theBundlesAreReadAsUtf8() {
    assertEquals("Tillgänglighet", MESSAGES.get(Lang.SV, "layout.accessibility"));
    assertEquals("Det går inte längre att avboka här. Kontakta Hemse servicepunkt om du inte kan komma.",
        MESSAGES.format(Lang.SV, "manage.tooLate", "Hemse servicepunkt"));
  }

  @Test
  void templatesReadTheMessagesAsNestedNames() {
    @SuppressWarnings("unchecked")
    var layout = (Map<String, Object>) MESSAGES.tree(Lang.EN).get("layout");
    assertEquals("Svenska", layout.get("otherLanguage"));
  }

  @Test
  void everyMessageATemplateUsesExists() throws IOException {
    Pattern use = Pattern.compile("\\{\\{[#^/]?\\s*t\\.([A-Za-z0-9_.]+)\\s*}}");
    var missing = new TreeSet<String>();
    int uses = 0;
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/pages"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".html")).toList()) {
        var matcher = use.matcher(Files.readString(file));
        while (matcher.find()) {
          uses++;
          if (!MESSAGES.keys(Lang.SV).contains(matcher.group(1))) {
            missing.add(file.getFileName() + ": " + matcher.group(1));
          }
        }
      }
    }
    assertTrue(uses > 50, "the templates use the bundles");
    assertTrue(missing.isEmpty(), () -> "messages used but missing: " + missing);
  }
}
