package se.servicepunkt.page;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The static files of the pages (one stylesheet, a few small ES modules, an icon), read from
 * {@code pages/static} once at start-up and served from memory at {@code /static/NAME}. Pages link
 * them as {@code /static/NAME?v=HASH} ({@link #url}): an answer to such a link may be kept for a
 * year ({@code immutable}), since a changed file gets a new hash and so a new link; any other
 * request is answered {@code no-cache} with an ETag, so a browser asks again and gets a 304.
 */
public final class Assets implements Handler<RoutingContext> {
  public static final String PATH = "/static/";
  private static final String FOLDER = "pages/static";

  private record Asset(Buffer body, String type, String hash) {
  }

  private final Map<String, Asset> files = new LinkedHashMap<>();

  private Assets() {
  }

  /** Reads every file of {@code pages/static} (blocking: call it at start-up). */
  static Assets load() {
    var assets = new Assets();
    for (String name : Resources.list(FOLDER)) {
      String type = type(name);
      if (type == null) {
        continue; // not a kind of file pages use
      }
      byte[] bytes = Resources.read(FOLDER + "/" + name);
      assets.files.put(name, new Asset(Buffer.buffer(bytes), type, hash(bytes)));
    }
    return assets;
  }

  /** The link to a file, with its hash; an unknown name is a mistake in the code and fails at once. */
  public String url(String name) {
    Asset asset = files.get(name);
    if (asset == null) {
      throw new IllegalArgumentException("no static file " + name + " in " + FOLDER);
    }
    return PATH + name + "?v=" + asset.hash();
  }

  /** The names of the files served. */
  public java.util.Set<String> names() {
    return files.keySet();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Asset asset = name == null ? null : files.get(name);
    if (asset == null) {
      ctx.next(); // the 404 page
      return;
    }
    var response = ctx.response();
    String etag = "\"" + asset.hash() + "\"";
    response.putHeader("ETag", etag)
        .putHeader("Cache-Control", asset.hash().equals(ctx.queryParams().get("v"))
            ? "public, max-age=31536000, immutable" : "no-cache");
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader("Content-Type", asset.type()).end(asset.body());
  }

  private static String type(String name) {
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    if (name.endsWith(".png")) {
      return "image/png";
    }
    return null;
  }

  private static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
