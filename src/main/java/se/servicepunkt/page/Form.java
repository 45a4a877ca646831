package se.servicepunkt.page;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a person typed into a form, and what is wrong with it, for the error-summary pattern: a
 * summary at the top of the page that links to each field in error (focused by
 * {@code error-summary.js}), the message next to its field, and every value kept as typed.
 * Errors are listed in the order they are added: add them in the order of the fields on the page.
 *
 * <p>A template includes {@code {{> error-summary}}} at the top and, for each text field,
 * {@code {{#f.NAME}}{{> text-field}}{{/f.NAME}}}; {@link Page#form} puts the form in the scope.
 */
public final class Form {
  /** One error, as the summary lists it. */
  public record Error(String field, String text) {
    /** The link from the summary to the field. */
    public String href() {
      return "#" + field;
    }
  }

  /** A text field: its label and hint (already in the page's language), what was typed, its error. */
  public static final class Field {
    private final String name;
    private String label;
    private String hint;
    private String type = "text";
    private String autocomplete;
    private String inputmode;
    private String width;
    private boolean spellcheck = true;
    private String value = "";
    private String error;

    Field(String name) {
      this.name = name;
    }

    public Field withLabel(String text) {
      this.label = text;
      return this;
    }

    public Field withHint(String text) {
      this.hint = text;
      return this;
    }

    /** The input's type: text, email, tel, number… */
    public Field withType(String inputType) {
      this.type = inputType;
      return this;
    }

    public Field withAutocomplete(String token) {
      this.autocomplete = token;
      return this;
    }

    public Field withInputmode(String mode) {
      this.inputmode = mode;
      return this;
    }

    /** A width class for short answers (a reference, a postal code): "10" or "20" characters. */
    public Field withWidth(String characters) {
      this.width = characters;
      return this;
    }

    public Field withoutSpellcheck() {
      this.spellcheck = false;
      return this;
    }

    public String id() {
      return name;
    }

    public String name() {
      return name;
    }

    public String label() {
      return label;
    }

    public String hint() {
      return hint;
    }

    public String hintId() {
      return hint == null ? null : name + "-hint";
    }

    public String type() {
      return type;
    }

    public String autocomplete() {
      return autocomplete;
    }

    public String inputmode() {
      return inputmode;
    }

    public String width() {
      return width;
    }

    public boolean noSpellcheck() {
      return !spellcheck;
    }

    public String value() {
      return value;
    }

    public String error() {
      return error;
    }

    public String errorId() {
      return error == null ? null : name + "-error";
    }

    /** The ids that describe the input, for {@code aria-describedby}: the hint, then the error. */
    public String describedBy() {
      String ids = String.join(" ", java.util.stream.Stream.of(hintId(), errorId())
          .filter(java.util.Objects::nonNull).toList());
      return ids.isEmpty() ? null : ids;
    }
  }

  private final Map<String, String> values;
  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final List<Error> errors = new ArrayList<>();

  private Form(Map<String, String> values) {
    this.values = values;
  }

  /** An empty form, as first shown. */
  public static Form empty() {
    return new Form(new LinkedHashMap<>());
  }

  /** A form filled with what a person typed before (e.g. on an earlier visit to the page). */
  public static Form filled(Map<String, String> values) {
    return new Form(new LinkedHashMap<>(values));
  }

  /** The form a POST sent (its body read by {@link Forms#body}). */
  public static Form of(RoutingContext ctx) {
    var values = new LinkedHashMap<String, String>();
    ctx.request().formAttributes().forEach(e -> values.putIfAbsent(e.getKey(), e.getValue()));
    return new Form(values);
  }

  /** What was typed, exactly; "" when nothing. */
  public String value(String name) {
    String value = values.get(name);
    return value == null ? "" : value;
  }

  /** What was typed, without spaces around it; null when nothing was. */
  public String text(String name) {
    String value = value(name).strip();
    return value.isEmpty() ? null : value;
  }

  /** Declares a text field (in the order of the page); its value is what was typed. */
  public Field field(String name) {
    Field field = fields.computeIfAbsent(name, Field::new);
    field.value = value(name);
    return field;
  }

  /** Marks a field wrong, with the message shown in the summary and next to the field. */
  public Form error(String field, String text) {
    errors.add(new Error(field, text));
    Field declared = fields.get(field);
    if (declared != null && declared.error == null) {
      declared.error = text;
    }
    return this;
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<Error> errors() {
    return List.copyOf(errors);
  }

  /** What templates read: {@code errors}, {@code hasErrors}, and each field under {@code f}. */
  Map<String, Object> scope() {
    for (Error e : errors) {
      Field field = fields.get(e.field());
      if (field != null && field.error == null) {
        field.error = e.text();
      }
    }
    var scope = new LinkedHashMap<String, Object>();
    scope.put("errors", List.copyOf(errors));
    scope.put("hasErrors", hasErrors());
    scope.put("f", Map.copyOf(fields));
    return scope;
  }
}
