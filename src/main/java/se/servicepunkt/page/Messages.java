package se.servicepunkt.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The words of the pages, from the message bundles {@code pages/messages_sv.properties} and
 * {@code pages/messages_en.properties} (UTF-8). Keys are dotted ({@code start.title}); a template
 * reads them as {@code {{t.start.title}}} from {@link #tree}, Java code with {@link #get} and
 * {@link #format}. Both bundles must have the same keys, or the server does not start.
 */
public final class Messages {
  private final Map<Lang, Map<String, String>> flat = new EnumMap<>(Lang.class);
  private final Map<Lang, Map<String, Object>> trees = new EnumMap<>(Lang.class);

  private Messages(Map<Lang, Map<String, String>> bundles) {
    for (var entry : bundles.entrySet()) {
      flat.put(entry.getKey(), Map.copyOf(entry.getValue()));
      trees.put(entry.getKey(), tree(entry.getKey(), entry.getValue()));
    }
    var sv = new TreeSet<>(bundles.get(Lang.SV).keySet());
    var en = new TreeSet<>(bundles.get(Lang.EN).keySet());
    if (!sv.equals(en)) {
      var onlySv = new TreeSet<>(sv);
      onlySv.removeAll(en);
      var onlyEn = new TreeSet<>(en);
      onlyEn.removeAll(sv);
      throw new IllegalStateException("the message bundles differ: only in Swedish " + onlySv + ", only in English " + onlyEn);
    }
  }

  /** Reads both bundles from the class path (blocking: call it at start-up, never on an event loop). */
  public static Messages load() {
    var bundles = new EnumMap<Lang, Map<String, String>>(Lang.class);
    for (Lang lang : Lang.values()) {
      bundles.put(lang, read("pages/messages_" + lang.code() + ".properties"));
    }
    return new Messages(bundles);
  }

  /** The message, or a visible marker where a key is missing (the bundles' test catches it). */
  public String get(Lang lang, String key) {
    String value = flat.get(lang).get(key);
    return value != null ? value : "??" + key + "??";
  }

  /** The message with {@code {0}}, {@code {1}} … replaced by the arguments (plain text; templates escape it). */
  public String format(Lang lang, String key, Object... args) {
    String text = get(lang, key);
    for (int i = 0; i < args.length; i++) {
      text = text.replace("{" + i + "}", String.valueOf(args[i]));
    }
    return text;
  }

  /** All messages of a language as nested maps, {@code start.title} under "start" then "title". */
  public Map<String, Object> tree(Lang lang) {
    return trees.get(lang);
  }

  /** The keys of a language, for tests. */
  public java.util.Set<String> keys(Lang lang) {
    return flat.get(lang).keySet();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(Lang lang, Map<String, String> messages) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (var entry : new TreeMap<>(messages).entrySet()) {
      String[] parts = entry.getKey().split("\\.");
      Map<String, Object> node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        Object child = node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        if (!(child instanceof Map)) {
          throw new IllegalStateException("messages_" + lang.code() + ": " + entry.getKey()
              + " is below a key that is itself a message");
        }
        node = (Map<String, Object>) child;
      }
      if (node.containsKey(parts[parts.length - 1])) {
        throw new IllegalStateException("messages_" + lang.code() + ": " + entry.getKey() + " is also a group of messages");
      }
      node.put(parts[parts.length - 1], entry.getValue());
    }
    return freeze(root);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> freeze(Map<String, Object> node) {
    node.replaceAll((k, v) -> v instanceof Map ? freeze((Map<String, Object>) v) : v);
    return Collections.unmodifiableMap(node);
  }

  private static Map<String, String> read(String resource) {
    try (InputStream in = new java.io.ByteArrayInputStream(Resources.read(resource))) {
      var properties = new Properties();
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      var map = new LinkedHashMap<String, String>();
      properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name).strip()));
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
