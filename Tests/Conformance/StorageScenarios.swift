import Foundation
import QuiltContract
import QuiltStorage
import QuiltTestSupport
import Testing

/// The storage tier: what `ObjectStorage` promises (key order, delimiters, start-after, ranges, missing keys,
/// atomic writes, files of every size), run against every implementation the registry engine stands on.
@Suite("Storage tier: every ObjectStorage keeps the same promises")
struct StorageScenarios {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Bytes that differ at every offset, so a shifted or truncated read cannot pass.
    static func pattern(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 8) &+ Int(seed)) }
    }

    static func expectNotFound(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("\(what): expected not_found, got success")
        } catch let error as QuiltOpsError {
            #expect(error.kind == "not_found", "\(what): \(error)")
        } catch {
            Issue.record("\(what): \(error)")
        }
    }

    @Test("put, then head and get give back the bytes, size, content type and metadata", arguments: StoreUnderTest.all)
    func putHeadGet(_ store: StoreUnderTest) async throws {
        try await store.run("storage.put-head-get") { s, _ in
            let written = try await s.put("dir/a.csv", bytes: Self.bytes("x,y\n1,2\n"), contentType: "text/csv", metadata: ["origin": "tier"])
            #expect(written.key == "dir/a.csv" && written.size == 8)
            let head = try await s.head("dir/a.csv")
            #expect(head.size == 8)
            if store.keepsObjectMetadata {
                #expect(head.contentType == "text/csv")
                #expect(head.metadata["origin"] == "tier")
            } else {
                #expect(head.metadata["origin"] == nil && head.contentType == nil, "\(store.kind.rawValue) keeps metadata: declare it")
            }
            let (info, got) = try await s.get("dir/a.csv", range: nil)
            #expect(got == Self.bytes("x,y\n1,2\n") && info.size == 8)
        }
    }

    @Test("Local files: only a directory store names the file holding a key and streams writes; every root exists once written",
          arguments: StoreUnderTest.all)
    func localFiles(_ store: StoreUnderTest) async throws {
        try await store.run("storage.local-files") { s, _ in
            let data = Self.pattern(7_000)
            _ = try await s.put("in/a.bin", bytes: data, contentType: nil, metadata: [:])
            #expect(await s.rootExists())
            let path = s.localPath(of: "in/a.bin")
            #expect((path != nil) == (store.kind == .file), "\(store.kind.rawValue): \(String(describing: path))")
            if let path { #expect(FileManager.default.contents(atPath: path) == Data(data)) }
            var opened = false
            let streamed = try await s.putStreamed("out/b.bin") { () async throws(QuiltOpsError) in
                opened = true
                return try await s.reader("in/a.bin")
            }
            #expect((streamed != nil) == (store.kind == .file) && opened == (streamed != nil), "nothing is opened where streaming is not offered")
            if streamed != nil { #expect(try await s.get("out/b.bin", range: nil).1 == data) }
        }
    }

    @Test("A range is clipped at the end; one starting past the end is invalid_input(range); an empty object reads empty",
          arguments: StoreUnderTest.all)
    func ranges(_ store: StoreUnderTest) async throws {
        try await store.run("storage.ranges") { s, _ in
            let data = Self.pattern(100)
            _ = try await s.put("r.bin", bytes: data, contentType: nil, metadata: [:])
            #expect(try await s.get("r.bin", range: try ByteRange(offset: 10, length: 5)).1 == Array(data[10..<15]))
            #expect(try await s.get("r.bin", range: try ByteRange(offset: 90, length: 50)).1 == Array(data[90...]))
            #expect(try await s.get("r.bin", range: try ByteRange(offset: 99, length: 1)).1 == [data[99]])
            do {
                _ = try await s.get("r.bin", range: try ByteRange(offset: 100, length: 1))
                Issue.record("a range starting at the size must fail")
            } catch let error as QuiltOpsError {
                guard case .invalidInput(let field, _) = error else { Issue.record("\(error)"); return }
                #expect(field == "range")
            }
            _ = try await s.put("empty", bytes: [], contentType: nil, metadata: [:])
            #expect(try await s.get("empty", range: nil).1 == [])
            #expect(try await s.head("empty").size == 0)
        }
    }

    @Test("A missing key is not_found for head, get and reader; deleting it succeeds", arguments: StoreUnderTest.all)
    func missingKey(_ store: StoreUnderTest) async throws {
        try await store.run("storage.missing-key") { s, _ in
            await Self.expectNotFound("head") { _ = try await s.head("nope/missing.txt") }
            await Self.expectNotFound("get") { _ = try await s.get("nope/missing.txt", range: nil) }
            await Self.expectNotFound("reader") {
                let reader = try await s.reader("nope/missing.txt")
                _ = try await reader.next()
            }
            try await s.delete("nope/missing.txt")
            _ = try await s.put("present", bytes: [1], contentType: nil, metadata: [:])
            try await s.delete("present")
            await Self.expectNotFound("head after delete") { _ = try await s.head("present") }
        }
    }

    /// Keys whose byte order differs from Character order, with spaces, '+', '%', and non-ASCII.
    static let awkwardKeys = ["a b", "a+b", "a%20c", "a/b", "a/é.txt", "aé", "b", "Z", "é/x", "~tilde"]

    @Test("Listing is in UTF-8 byte order, keys come back exactly as written, and prefix filters", arguments: StoreUnderTest.all)
    func listingOrder(_ store: StoreUnderTest) async throws {
        try await store.run("storage.listing-order") { s, _ in
            for key in Self.awkwardKeys { _ = try await s.put(key, bytes: Self.bytes(key), contentType: nil, metadata: [:]) }
            let all = try await s.listAll(prefix: "")
            let sorted = Self.awkwardKeys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            #expect(all.objects.map(\.key) == sorted)
            #expect(all.objects.map(\.size) == sorted.map { Int64($0.utf8.count) })
            #expect(try await s.listAll(prefix: "a").objects.map(\.key) == sorted.filter { $0.hasPrefix("a") })
            #expect(try await s.listAll(prefix: "a/").objects.map(\.key) == ["a/b", "a/é.txt"])
            #expect(try await s.listAll(prefix: "q").objects.isEmpty)
            for key in Self.awkwardKeys { #expect(try await s.get(key, range: nil).1 == Self.bytes(key), "\(key)") }
        }
    }

    @Test("A key that is also another key's folder: both kept where the store allows it, else a conflict that changes nothing",
          arguments: StoreUnderTest.all)
    func keyAndFolderOfSameName(_ store: StoreUnderTest) async throws {
        try await store.run("storage.key-and-folder") { s, _ in
            _ = try await s.put("x", bytes: Self.bytes("file"), contentType: nil, metadata: [:])
            _ = try await s.put("y/z", bytes: Self.bytes("inside"), contentType: nil, metadata: [:])
            for (key, what) in [("x/inside", "below a file"), ("y", "over a folder")] {
                do {
                    _ = try await s.put(key, bytes: Self.bytes("new"), contentType: nil, metadata: [:])
                    #expect(store.keyMayAlsoBeAFolder, "\(store.kind.rawValue) stored '\(key)' \(what)")
                } catch let error as QuiltOpsError {
                    #expect(!store.keyMayAlsoBeAFolder, "\(key): \(error)")
                    #expect(error.kind == "conflict" && error.message.contains("Rename one of them"), "\(error)")
                }
            }
            #expect(try await s.get("x", range: nil).1 == Self.bytes("file"))
            #expect(try await s.get("y/z", range: nil).1 == Self.bytes("inside"))
            let keys = try await s.listAll(prefix: "").objects.map(\.key)
            #expect(keys == (store.keyMayAlsoBeAFolder ? ["x", "x/inside", "y", "y/z"] : ["x", "y/z"]))
        }
    }

    @Test("A delimiter rolls keys up into common prefixes, each once and in order, beside the objects at that level",
          arguments: StoreUnderTest.all)
    func delimiter(_ store: StoreUnderTest) async throws {
        try await store.run("storage.delimiter") { s, _ in
            for key in ["top.txt", "d1/a", "d1/b", "d1/sub/c", "d2/a", "d10/a", "e"] {
                _ = try await s.put(key, bytes: [1], contentType: nil, metadata: [:])
            }
            let root = try await s.listAll(prefix: "", delimiter: "/")
            #expect(root.commonPrefixes == ["d1/", "d10/", "d2/"])
            #expect(root.objects.map(\.key) == ["e", "top.txt"])
            let d1 = try await s.listAll(prefix: "d1/", delimiter: "/")
            #expect(d1.commonPrefixes == ["d1/sub/"])
            #expect(d1.objects.map(\.key) == ["d1/a", "d1/b"])
        }
    }

    @Test("Pages of any size, continued from continueAfter, list every key and prefix exactly once", arguments: StoreUnderTest.all)
    func pagination(_ store: StoreUnderTest) async throws {
        try await store.run("storage.pagination") { s, _ in
            let keys = (0..<7).map { "k/\($0)" } + ["p/1/x", "p/1/y", "p/2/x"]
            for key in keys { _ = try await s.put(key, bytes: [2], contentType: nil, metadata: [:]) }
            for (size, delimiter) in [(1, nil), (3, nil), (2, "/" as String?)] {
                var seen: [String] = []
                var after: String? = nil
                var pages = 0
                repeat {
                    let page = try await s.list(prefix: "", delimiter: delimiter, startAfter: after, limit: size)
                    #expect(page.objects.count + page.commonPrefixes.count <= size)
                    seen += page.objects.map(\.key) + page.commonPrefixes
                    after = page.continueAfter
                    pages += 1
                } while after != nil && pages < 50
                let expected = delimiter == nil ? keys : ["k/", "p/"]
                #expect(seen.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } == expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
                        "page size \(size), delimiter \(delimiter ?? "none")")
                #expect(Set(seen).count == seen.count, "a key listed twice with page size \(size)")
            }
            let after = try await s.list(prefix: "k/", delimiter: nil, startAfter: "k/4", limit: 100)
            #expect(after.objects.map(\.key) == ["k/5", "k/6"] && after.continueAfter == nil)
        }
    }

    @Test("Overwriting replaces the whole object, including a longer one with a shorter", arguments: StoreUnderTest.all)
    func overwrite(_ store: StoreUnderTest) async throws {
        try await store.run("storage.overwrite") { s, _ in
            _ = try await s.put("o", bytes: Self.pattern(1000), contentType: nil, metadata: [:])
            _ = try await s.put("o", bytes: Self.bytes("short"), contentType: nil, metadata: [:])
            #expect(try await s.get("o", range: nil).1 == Self.bytes("short"))
            #expect(try await s.head("o").size == 5)
            #expect(try await s.listAll(prefix: "").objects.map(\.key) == ["o"])
        }
    }

    @Test("putFile stores a local file of each size exactly; a missing file is not_found", arguments: StoreUnderTest.all)
    func putFile(_ store: StoreUnderTest) async throws {
        try await store.run("storage.put-file") { s, scratch in
            for (i, size) in store.fileSizes.enumerated() {
                let data = Self.pattern(size, seed: UInt8(i))
                let path = scratch + "/f\(i).bin"
                try Data(data).write(to: URL(fileURLWithPath: path))
                let stored = try await s.putFile("files/\(size).bin", fromPath: path)
                #expect(stored.size == Int64(size))
                let (_, got) = try await s.get("files/\(size).bin", range: nil)
                #expect(got == data, "size \(size)")
            }
            await Self.expectNotFound("putFile of a missing file") { _ = try await s.putFile("x", fromPath: scratch + "/absent") }
        }
    }

    @Test("A chunked reader yields the whole object, in order", arguments: StoreUnderTest.all)
    func reader(_ store: StoreUnderTest) async throws {
        try await store.run("storage.reader") { s, _ in
            let data = Self.pattern(store.isLocal ? (2 << 20) + 123 : 20_000)
            _ = try await s.put("big.bin", bytes: data, contentType: nil, metadata: [:])
            let reader = try await s.reader("big.bin")
            var got: [UInt8] = []
            while let chunk = try await reader.next() { got += chunk }
            #expect(got == data)
        }
    }

    @Test("copy duplicates the bytes and leaves the source", arguments: StoreUnderTest.all)
    func copy(_ store: StoreUnderTest) async throws {
        try await store.run("storage.copy") { s, _ in
            _ = try await s.put("src/a b.txt", bytes: Self.bytes("copy me"), contentType: nil, metadata: [:])
            let copied = try await s.copy(from: "src/a b.txt", to: "dst/a b.txt")
            #expect(copied.key == "dst/a b.txt" && copied.size == 7)
            #expect(try await s.get("dst/a b.txt", range: nil).1 == Self.bytes("copy me"))
            #expect(try await s.get("src/a b.txt", range: nil).1 == Self.bytes("copy me"))
        }
    }

    @Test("Readers during overwrites see the old object or the new one, never a mixture",
          arguments: StoreUnderTest.all.filter(\.isLocal))
    func atomicOverwrite(_ store: StoreUnderTest) async throws {
        try await store.run("storage.atomic-overwrite") { s, _ in
            let versions = (0..<4).map { Self.pattern(300_000, seed: UInt8($0)) }
            _ = try await s.put("atomic", bytes: versions[0], contentType: nil, metadata: [:])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for round in 1..<20 { _ = try await s.put("atomic", bytes: versions[round % 4], contentType: nil, metadata: [:]) }
                }
                for _ in 0..<2 {
                    group.addTask {
                        for _ in 0..<20 {
                            let (_, got) = try await s.get("atomic", range: nil)
                            #expect(versions.contains(got), "a read saw \(got.count) bytes matching no whole version")
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
