package se.servicepunkt.queue;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code drawn on the server as an SVG element for the page itself (no image request, no other
 * origin, no script): one path of dark modules on a white square with the quiet zone of four
 * modules the standard asks for, so that a phone's camera reads it from a screen or a receipt.
 */
final class QrCodes {
  private static final int QUIET = 4;

  private QrCodes() {
  }

  /**
   * The code of {@code text} as {@code <svg>}, labelled for screen readers with {@code label}
   * (already escaped text is not expected: it is escaped here).
   */
  static String svg(String text, String label) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int size = qr.size + QUIET * 2;
    var path = new StringBuilder(qr.size * qr.size * 4);
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + QUIET).append(',').append(y + QUIET).append("h1v1h-1z");
        }
      }
    }
    return "<svg class=\"ticket-qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
        + "\" role=\"img\" aria-label=\"" + escape(label) + "\" shape-rendering=\"crispEdges\">"
        + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/>"
        + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
