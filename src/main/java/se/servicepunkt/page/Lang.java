package se.servicepunkt.page;

import java.util.Locale;

/** The languages pages are written in: Swedish (the default) and English. */
public enum Lang {
  SV("sv", Locale.forLanguageTag("sv-SE")),
  EN("en", Locale.UK);

  public static final Lang DEFAULT = SV;

  private final String code;
  private final Locale locale;

  Lang(String code, Locale locale) {
    this.code = code;
    this.locale = locale;
  }

  /** {@code sv} or {@code en}, as in {@code <html lang>}, {@code ?lang=} and the cookie. */
  public String code() {
    return code;
  }

  public Locale locale() {
    return locale;
  }

  /** The other language, which the language switch offers. */
  public Lang other() {
    return this == SV ? EN : SV;
  }

  /** The language with this code, or null for anything else (or nothing). */
  public static Lang parse(String code) {
    if (code == null) {
      return null;
    }
    return switch (code.trim().toLowerCase(Locale.ROOT)) {
      case "sv" -> SV;
      case "en" -> EN;
      default -> null;
    };
  }

  /** The language with this code, or the default. */
  public static Lang of(String code) {
    Lang lang = parse(code);
    return lang != null ? lang : DEFAULT;
  }
}
