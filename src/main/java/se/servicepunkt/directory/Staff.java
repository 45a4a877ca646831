package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A member of staff as administrators see them: never the password hash. */
public record Staff(UUID id, UUID organisationId, String email, String displayName, List<String> roles, boolean active,
                    List<UUID> skills) {

  static Staff from(Row row) {
    return new Staff(row.getUUID("id"), row.getUUID("organisation_id"), row.getString("email"),
        row.getString("display_name"), List.of(row.getArrayOfStrings("roles")), row.getBoolean("active"),
        Arrays.asList(row.getArrayOfUUIDs("skills")));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("organisationId", organisationId == null ? null : organisationId.toString())
        .put("email", email)
        .put("displayName", displayName)
        .put("roles", roles)
        .put("active", active)
        .put("skills", skills.stream().map(UUID::toString).toList());
  }
}
