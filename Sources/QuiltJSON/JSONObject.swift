/// One object member as stored. (A nominal type rather than a tuple: arrays of tuples need their
/// generic metadata looked up at run time, which is measurable in the parser's hot path.)
struct JSONMember: Sendable {
    var key: String
    var value: JSONValue
}

/// An ordered JSON object: `(key, value)` members in insertion order with unique keys.
///
/// Keys are compared by Unicode scalars (byte-identical UTF-8), never by Swift `String` canonical
/// equivalence, so `"é"` (U+00E9) and `"e\u{301}"` are two different keys, as in Python.
///
/// Mutation follows Python `dict` semantics: assigning to an existing key replaces its value in
/// place, assigning a new key appends it at the end, and assigning `nil` removes the key.
///
/// Equality is **order-sensitive**: `{"a":1,"b":2}` is not `==` to `{"b":2,"a":1}`, because the two
/// serialise to different manifest bytes. Use ``JSONValue/isEquivalent(to:)`` to compare ignoring
/// key order.
///
/// Lookup is a linear scan for small objects (at most ``indexThreshold`` keys) and hashed above that.
public struct JSONObject: Sendable {
    /// Objects with more keys than this keep a hash index for lookups.
    public static let indexThreshold = 8

    var entries: [JSONMember]

    /// Key → position in `entries`; non-nil exactly when `entries.count > indexThreshold`.
    var index: [UTF8Key: Int]?

    /// Creates an empty object.
    public init() {
        entries = []
        index = nil
    }

    /// Creates an object from `pairs` in order. A key repeated later keeps the position of its
    /// first occurrence and takes the value of its last (Python `dict(pairs)` semantics).
    public init(_ pairs: [(String, JSONValue)]) {
        self.init()
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// Pops the parsed members from `frame` up off `stack` into an object, applying the same
    /// duplicate-key rule as `init(_:)`.
    static func fromParsed(_ stack: inout ParseStack<JSONMember>, frame: Int) -> JSONObject {
        let members = stack.frame(from: frame)
        let n = members.count
        var duplicate = false
        if n <= JSONObject.indexThreshold {
            var i = 1
            outer: while i < n {
                var j = 0
                while j < i {
                    if utf8Equal(members[i].key, members[j].key) {
                        duplicate = true
                        break outer
                    }
                    j += 1
                }
                i += 1
            }
        } else {
            duplicate = true // let the indexed path below detect duplicates
        }
        var object = JSONObject()
        if !duplicate {
            object.entries = stack.popArray(from: frame)
        } else {
            let all = stack.popArray(from: frame)
            object.entries.reserveCapacity(n)
            for member in all { object[member.key] = member.value }
        }
        return object
    }

    /// The number of members.
    public var count: Int { entries.count }

    /// True when the object has no members.
    public var isEmpty: Bool { entries.isEmpty }

    /// The keys in order.
    public var keys: [String] { entries.map(\.key) }

    /// The values in key order.
    public var values: [JSONValue] { entries.map(\.value) }

    /// The position of `key` in iteration order, or `nil` if absent.
    public func position(ofKey key: String) -> Int? {
        if let index { return index[UTF8Key(string: key)] }
        var i = 0
        for entry in entries {
            if utf8Equal(entry.key, key) { return i }
            i += 1
        }
        return nil
    }

    /// The value for `key`, or `nil` if absent. Setting a value replaces an existing key in place
    /// or appends a new key at the end; setting `nil` removes the key (to store JSON `null`, assign
    /// `.null`). Never fails.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = position(ofKey: key) else { return nil }
            return entries[i].value
        }
        set {
            if let newValue {
                if let i = position(ofKey: key) {
                    entries[i].value = newValue
                } else {
                    entries.append(JSONMember(key: key, value: newValue))
                    if index != nil {
                        index?[UTF8Key(string: key)] = entries.count - 1
                    } else if entries.count > JSONObject.indexThreshold {
                        rebuildIndex()
                    }
                }
            } else {
                _ = removeValue(forKey: key)
            }
        }
    }

    /// Removes `key` and returns its value, or returns `nil` if absent. Later members keep their
    /// relative order.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = position(ofKey: key) else { return nil }
        let removed = entries.remove(at: i).value
        rebuildIndex()
        return removed
    }

    private mutating func rebuildIndex() {
        guard entries.count > JSONObject.indexThreshold else {
            index = nil
            return
        }
        var map = [UTF8Key: Int](minimumCapacity: entries.count)
        for (i, entry) in entries.enumerated() { map[UTF8Key(string: entry.key)] = i }
        index = map
    }
}

extension JSONObject: Sequence {
    /// Iterates `(key: String, value: JSONValue)` members in order.
    public struct Iterator: IteratorProtocol, Sendable {
        var base: IndexingIterator<[JSONMember]>

        /// The next member in order, or `nil` after the last.
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard let member = base.next() else { return nil }
            return (key: member.key, value: member.value)
        }
    }

    /// Returns an iterator over the members in order.
    public func makeIterator() -> Iterator { Iterator(base: entries.makeIterator()) }

    /// The member count (iteration is not destructive and visits exactly `count` members).
    public var underestimatedCount: Int { entries.count }
}

extension JSONObject: Hashable {
    /// Order-sensitive structural equality: same keys (by Unicode scalars) with equal values, in the
    /// same order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (l, r) in zip(lhs.entries, rhs.entries) {
            guard utf8Equal(l.key, r.key), l.value == r.value else { return false }
        }
        return true
    }

    /// Hashes consistently with the order-sensitive `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hashUTF8(entry.key, into: &hasher)
            hasher.combine(entry.value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object keeping the literal's written order (duplicates follow `init(_:)`).
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// Compact JSON text, as ``JSONWriter/compact(_:)``.
    public var description: String { JSONWriter.compact(.object(self)) }
}
