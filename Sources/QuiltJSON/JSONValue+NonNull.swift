extension Optional where Wrapped == JSONValue {
    /// The value unless it is absent or JSON `null` (`JSONValue` is `ExpressibleByNilLiteral`, so `nil` literals
    /// in a `JSONValue?` context mean `.null`: this spells out "absent").
    public var nonNull: JSONValue? {
        switch self {
        case .none, .some(.null): return Optional<JSONValue>.none
        case .some(let v): return Optional<JSONValue>.some(v)
        }
    }
}
