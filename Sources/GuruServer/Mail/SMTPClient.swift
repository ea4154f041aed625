import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why a mail could not be sent; the message names the step and what the server said, never a password.
struct SMTPError: Error, CustomStringConvertible, Sendable {
    let description: String
}

/// A small SMTP submission client (RFC 5321, STARTTLS per RFC 3207, AUTH PLAIN per RFC 4954): one message per
/// connection, which is all the Build tab's links and the test mail need.
struct SMTPClient: Sendable {
    struct Message: Sendable {
        let from: String
        let to: String
        let subject: String
        let body: String
    }

    let host: String
    let port: Int
    let security: SMTPSettings.Security
    let username: String
    let password: String
    var timeout: Duration = .seconds(20)
    /// Trust roots for STARTTLS; nil: the system's.
    var trustRoots: NIOSSLTrustRoots? = nil

    func send(_ message: Message) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.converse(message) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw SMTPError(description: "the mail server at \(host):\(port) did not answer within \(timeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func converse(_ message: Message) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
        } catch {
            throw SMTPError(description: "cannot connect to \(host):\(port): \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(lines: SMTPLineReader(inbound.makeAsyncIterator()), outbound: outbound)
            try await session.expect(220, "greeting")
            var features = try await session.command("EHLO guruconnect", expect: 250, "EHLO")
            if security == .starttls {
                guard features.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw SMTPError(description: "\(host) does not offer STARTTLS; choose None only for a trusted relay")
                }
                _ = try await session.command("STARTTLS", expect: 220, "STARTTLS")
                var configuration = TLSConfiguration.makeClientConfiguration()
                if let trustRoots { configuration.trustRoots = trustRoots }
                let context = try NIOSSLContext(configuration: configuration)
                let hostname = host.first?.isNumber == true ? nil : host
                let link = channel.channel
                // The TLS handler goes first in the pipeline, on the channel's own event loop, before anything more is sent.
                try await link.eventLoop.submit {
                    try link.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname), position: .first)
                }.get()
                features = try await session.command("EHLO guruconnect", expect: 250, "EHLO after STARTTLS")
            }
            if !username.isEmpty {
                guard features.contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") }) else {
                    throw SMTPError(description: "\(host) does not offer AUTH PLAIN\(security == .none ? " without TLS" : "")")
                }
                let credentials = Data(("\u{0}" + username + "\u{0}" + password).utf8).base64EncodedString()
                _ = try await session.command("AUTH PLAIN \(credentials)", expect: 235, "AUTH")
            }
            _ = try await session.command("MAIL FROM:<\(message.from)>", expect: 250, "MAIL FROM")
            _ = try await session.command("RCPT TO:<\(message.to)>", expect: 250, "RCPT TO")
            _ = try await session.command("DATA", expect: 354, "DATA")
            try await session.write(Self.render(message))
            try await session.expect(250, "message")
            do {
                _ = try await session.command("QUIT", expect: 221, "QUIT")
            } catch {
                // The message was accepted before QUIT: a server that hangs up rudely has still delivered it.
            }
        }
    }

    /// The message with headers, CRLF lines and dot-stuffing, ending in the lone dot.
    static func render(_ message: Message, date: Date = .now) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let domain = message.from.split(separator: "@").last.map(String.init) ?? "guruconnect.invalid"
        let headers = [
            "From: \(message.from)", "To: \(message.to)", "Subject: \(message.subject)", "Date: \(formatter.string(from: date))",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(domain)>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
        ]
        let body = message.body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
        return (headers + [""] + body).joined(separator: "\r\n") + "\r\n.\r\n"
    }
}

/// Reads CRLF-terminated lines from the connection.
struct SMTPLineReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func next() async throws -> String {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                var line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard pending.count < 4096 else { throw SMTPError(description: "the mail server sent an overlong line") }
            guard let buffer = try await iterator.next() else { throw SMTPError(description: "the mail server closed the connection") }
            pending += Array(buffer.readableBytesView)
        }
    }
}

/// One conversation: commands out, numbered replies in.
struct SMTPSession {
    var lines: SMTPLineReader
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Reads one (possibly multi-line) reply; its code and text lines.
    mutating func reply() async throws -> (code: Int, lines: [String]) {
        var texts: [String] = []
        while true {
            let line = try await lines.next()
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError(description: "unexpected reply \"\(line.prefix(80))\"") }
            texts.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " { return (code, texts) }
        }
    }

    mutating func expect(_ code: Int, _ step: String) async throws {
        let answer = try await reply()
        guard answer.code == code else { throw SMTPError(description: "\(step): the server answered \(answer.code) \(answer.lines.last ?? "")") }
    }

    mutating func command(_ text: String, expect code: Int, _ step: String) async throws -> [String] {
        try await write(text + "\r\n")
        let answer = try await reply()
        guard answer.code == code else { throw SMTPError(description: "\(step): the server answered \(answer.code) \(answer.lines.last ?? "")") }
        return answer.lines
    }

    func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }
}
