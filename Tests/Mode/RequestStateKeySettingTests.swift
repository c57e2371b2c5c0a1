import Foundation
import QuiltJSON
import QuiltMode
import Testing

/// A 44-byte request-state key distinctive enough that any leak is found by substring search.
let requestStateKey = "state-key-do-not-print-0123456789abcdefghij"

@Suite("The request-state key setting")
struct RequestStateKeySettingTests {
    static let remoteHTTP = remoteBase.merging(["QUILT_MCP_JWT_AUDIENCE": "mcp"]) { $1 }
    static let warningPhrase = "no request-state key"

    @Test("QUILT_MCP_REQUEST_STATE_KEY: kept for the server, shown only as its source, never printed")
    func fromVariable() throws {
        let mode = try resolve([], remoteBase.merging(["QUILT_MCP_REQUEST_STATE_KEY": requestStateKey]) { $1 })
        #expect(mode.requestStateKey == requestStateKey)
        #expect(mode.source(of: .requestStateKey) == .environment("QUILT_MCP_REQUEST_STATE_KEY"))
        #expect(mode.jsonDescription()["request_state_key"]?["value"] == .string("<set, from QUILT_MCP_REQUEST_STATE_KEY>"))
        #expect(mode.callerDescription()["request_state_key"] == nil)
        #expect(!mode.warnings.contains { $0.contains(Self.warningPhrase) })
        for text in renderings(mode) + [JSONWriter.compact(mode.callerDescription())] {
            #expect(!text.contains(requestStateKey))
            #expect(!text.contains("do-not-print"))
        }
    }

    @Test("--request-state-key-file beats the variable; the file is read and trimmed")
    func fromFileFlag() throws {
        let path = try temporaryFile(requestStateKey + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mode = try resolve(
            ["--request-state-key-file", path], remoteBase.merging(["QUILT_MCP_REQUEST_STATE_KEY": "x"]) { $1 })
        #expect(mode.requestStateKey == requestStateKey)
        #expect(mode.source(of: .requestStateKey) == .flag("--request-state-key-file"))
        #expect(mode.explanation().contains("<set, from --request-state-key-file \(path)>"))
    }

    @Test("The key is used on stdio too (consent is asked on every transport)")
    func localStdio() throws {
        let path = try temporaryFile(requestStateKey)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mode = try resolve([], ["QUILT_MCP_REQUEST_STATE_KEY_FILE": path])
        #expect(mode.requestStateKey == requestStateKey)
        #expect(mode.source(of: .requestStateKey) == .environment("QUILT_MCP_REQUEST_STATE_KEY_FILE"))
    }

    static let missingFile = "/nonexistent/quilt-mcp-state-key"

    struct Row: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let environment: [String: String]
        let rule: String
        let message: String
        var testDescription: String { rule + ": " + message }
    }

    @Test("A bad key source exits with its rule and says how to fix it, never echoing the key", arguments: [
        Row(arguments: [], environment: ["QUILT_MCP_REQUEST_STATE_KEY": "too-short-key"], rule: "state-key-weak",
            message: "QUILT_MCP_REQUEST_STATE_KEY: the request-state key is 13 bytes; use at least 32"),
        Row(arguments: [], environment: ["QUILT_MCP_REQUEST_STATE_KEY_FILE": missingFile], rule: "state-key-file",
            message: "QUILT_MCP_REQUEST_STATE_KEY_FILE=\(missingFile): the key file does not exist"),
        Row(arguments: ["--request-state-key-file", missingFile], environment: [:], rule: "state-key-file",
            message: "--request-state-key-file \(missingFile): the key file does not exist"),
        Row(arguments: [], environment: [
            "QUILT_MCP_REQUEST_STATE_KEY": requestStateKey, "QUILT_MCP_REQUEST_STATE_KEY_FILE": missingFile,
        ], rule: "state-key-conflict", message: "set only one of them"),
    ])
    func refused(row: Row) throws {
        let error = try #require(modeError { () throws(ModeError) in try resolve(row.arguments, row.environment) })
        #expect(error.violations.map(\.rule.rawValue) == [row.rule])
        let text = error.violations.map(\.message).joined(separator: "\n")
        #expect(text.contains(row.message), "\(text)")
        #expect(!text.contains(requestStateKey) && !text.contains("too-short-key"))
    }

    @Test("Remote HTTP without a shared key warns that answers on another replica are refused")
    func remoteWithoutSharedKeyWarns() throws {
        let jwks = try resolve(["--jwt-jwks-url", "https://issuer.example/jwks.json"], Self.remoteHTTP)
        let warning = try #require(jwks.warnings.first { $0.contains(Self.warningPhrase) })
        #expect(warning.contains("QUILT_MCP_REQUEST_STATE_KEY_FILE"))
        let shared = try resolve([], Self.remoteHTTP.merging(["QUILT_MCP_JWT_SECRET": hs256Secret]) { $1 })
        #expect(!shared.warnings.contains { $0.contains(Self.warningPhrase) })
        let keyed = try resolve(
            ["--jwt-jwks-url", "https://issuer.example/jwks.json"],
            Self.remoteHTTP.merging(["QUILT_MCP_REQUEST_STATE_KEY": requestStateKey]) { $1 })
        #expect(!keyed.warnings.contains { $0.contains(Self.warningPhrase) })
        let local = try resolve([], [:])
        #expect(!local.warnings.contains { $0.contains(Self.warningPhrase) })
    }
}
