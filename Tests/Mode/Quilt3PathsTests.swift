import Foundation
import QuiltJSON
import QuiltMode
import Testing

/// quilt3's data directory on each platform, against vectors real platformdirs produced
/// (Fixtures/quilt3/platform_paths.py → platform_paths.json).
@Suite("quilt3's data directory, as platformdirs computes it")
struct Quilt3PathsTests {
    static func vectors() throws -> [JSONValue] {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let data = try Data(contentsOf: root.appendingPathComponent("Fixtures/quilt3/platform_paths.json"))
        return try #require(try JSONParser.parse(data)["vectors"]?.arrayValue)
    }

    @Test("Linux and macOS paths equal platformdirs' for the same environments")
    func unixLike() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 4)
        for v in vectors {
            var env: [String: String] = [:]
            for (k, value) in v["environment"]?.objectValue ?? [:] { env[k] = value.stringValue }
            #expect(Quilt3Paths.dataDirectory(environment: env, platform: .linux) == v["linux"]?.stringValue, "\(env)")
            #expect(Quilt3Paths.dataDirectory(environment: env, platform: .macOS) == v["macOS"]?.stringValue, "\(env)")
        }
    }

    @Test("Windows: %LOCALAPPDATA%\\QuiltData\\Quilt; without the variable (or HOME elsewhere) there is no default")
    func windowsAndMissing() {
        #expect(Quilt3Paths.dataDirectory(environment: ["LOCALAPPDATA": "C:\\Users\\ann\\AppData\\Local\\"], platform: .windows)
                == "C:\\Users\\ann\\AppData\\Local\\QuiltData\\Quilt")
        #expect(Quilt3Paths.dataDirectory(environment: [:], platform: .windows) == nil)
        #expect(Quilt3Paths.dataDirectory(environment: ["XDG_DATA_HOME": "rel"], platform: .linux) == nil)
        #expect(Quilt3Paths.dataDirectory(environment: [:], platform: .macOS) == nil)
    }
}
