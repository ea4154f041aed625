import CQRencode

/// Renders text as a QR code in SVG, using libqrencode for the encoding itself.
enum QRCodeRenderer {
    /// An SVG document, or nil if libqrencode refuses the text (too long).
    static func svg(for text: String, moduleSize: Int = 6, margin: Int = 4) -> String? {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let total = (width + margin * 2) * moduleSize
        var path = ""
        for y in 0..<width {
            for x in 0..<width where code.pointee.data[y * width + x] & 1 == 1 {
                path += "M\((x + margin) * moduleSize) \((y + margin) * moduleSize)h\(moduleSize)v\(moduleSize)h-\(moduleSize)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(total) \(total)" width="\(total)" height="\(total)" \
            shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}
