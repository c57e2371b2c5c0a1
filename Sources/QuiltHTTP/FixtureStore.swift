import FoundationEssentials

/// Reads fixture files, and writes them through the scrubber: the only code that writes a fixture.
package enum FixtureStore {
    /// Scrubs `fixture`'s exchanges (numbering them in order), encodes it and writes it to `path` atomically
    /// (a temporary file renamed into place), then reads the file back to prove it decodes to what was meant.
    /// - Returns: the fixture as written (scrubbed).
    @discardableResult
    package static func write(_ fixture: Fixture, scrubber: FixtureScrubber, to path: String) throws -> Fixture {
        var clean = fixture
        clean.exchanges = fixture.exchanges.enumerated().map { i, x in
            var s = scrubber.scrub(x)
            s.seq = i
            return s
        }
        clean.rerecord = scrubber.text(fixture.rerecord)
        clean.target = fixture.target.mapValues { scrubber.text($0) }
        let text = FixtureCodec.encode(clean)
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.\(slash.map { String(path[path.index(after: $0)...]) } ?? path).\(UUID().uuidString).tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        let back = try read(path)
        guard back.exchanges == clean.exchanges else { throw FixtureError("\(path): the written file does not read back identically") }
        return clean
    }

    /// Reads the fixture at `path`.
    /// - Throws: `FixtureError` when it is missing, unreadable or malformed.
    package static func read(_ path: String) throws(FixtureError) -> Fixture {
        guard let data = FileManager.default.contents(atPath: path) else { throw FixtureError("\(path) does not exist") }
        return try FixtureCodec.decode(Array(data), path: path)
    }
}
