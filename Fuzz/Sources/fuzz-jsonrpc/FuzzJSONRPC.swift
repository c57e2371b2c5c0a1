// libFuzzer target `jsonrpc`: how incoming JSON-RPC messages are classified and rewritten.
//
// Compiled here: the protocol layer's message files (Sources/QuiltProtocol: Message, RPCError, ProtocolVersion,
// Envelope, symlinked), which read every line a stdio client writes and every POST body the HTTP endpoints take;
// and QuiltJSON's JSONObject, edited the way handlers edit messages (members removed, replaced, added).
//
// Properties (each traps on violation):
// - Incoming.classify agrees with JSON-RPC 2.0 as written out below, for the message and for each member of a batch;
//   an invalid message's error is -32600 or -32602 and its id is the message's own only when that id is usable;
// - classification survives re-serialisation (compact(parse(body)) classifies as body does);
// - a request's 2026-07-28 envelope is accepted exactly when `_meta` holds both required keys and a served version,
//   and is otherwise refused with -32602 (shape) or -32022 (version, naming it);
// - JSONObject edits behave like an ordered list of unique keys (Python dict semantics) for small and indexed
//   (more than 8 keys) objects alike: lookups, order, count, removal, replacement in place, appending, equality
//   with the object built from the same pairs, and compact output.
import Foundation
import FuzzSupport
import QuiltJSON
import QuiltProtocol

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let parsed = try? JSONParser.parse(UnsafeRawBufferPointer(start: start, count: count)) else { return 0 }
    protocolChecks(parsed)
    let reparsed = try? JSONParser.parse(JSONWriter.compact(parsed))
    if let reparsed, case .object = parsed {
        check(kindName(Incoming.classify(reparsed)) == kindName(Incoming.classify(parsed)), "classification changed after re-serialisation")
    }
    switch parsed {
    case .object(let message):
        edits(message)
    case .array(let batch):
        for item in batch {
            if case .object(let message) = item { edits(message) }
        }
    default:
        break
    }
    return 0
}

private func kindName(_ incoming: Incoming) -> String {
    switch incoming {
    case .request: return "request"
    case .notification: return "notification"
    case .response: return "response"
    case .invalid(_, let error): return "invalid \(error.code)"
    }
}

/// The edits ExactJSONTransport makes, and a few more, on `message` and on its `params`, checked against a list model.
private func edits(_ message: JSONObject) {
    var object = message
    var model = message.map { ($0.key, $0.value) }
    verify(object, model)
    var candidates = message.keys
    if case .object(let params)? = message["params"] {
        candidates += params.keys
        var p = params
        var pm = params.map { ($0.key, $0.value) }
        // ExactJSONTransport: meta = params["_meta"] ?? {}; remove the ticket; set the ticket; empty the arguments.
        var meta = p["_meta"]?.objectValue ?? JSONObject()
        var mm = meta.map { ($0.key, $0.value) }
        let forged = remove(&meta, &mm, "quilt-mcp/exact-arguments")
        check(forged == (message["params"]?["_meta"]?["quilt-mcp/exact-arguments"] != nil), "removeValue reported wrongly")
        assign(&meta, &mm, "quilt-mcp/exact-arguments", .number(7))
        assign(&p, &pm, "arguments", .object([:]))
        assign(&p, &pm, "_meta", .object(meta))
        verify(meta, mm)
        verify(p, pm)
        assign(&object, &model, "params", .object(p))
        verify(object, model)
        let written = JSONWriter.compact(.object(object))
        check((try? JSONParser.parse(written)) == JSONValue.object(object).finiteOrNull, "the rewritten message does not round-trip")
    }
    // Every key present (and a few absent): replace, remove, re-add.
    for (i, key) in (candidates + ["method", "id", "jsonrpc", "result", "error"]).enumerated() {
        switch i % 3 {
        case 0: assign(&object, &model, key, .number(JSONNumber(i)))
        case 1: _ = remove(&object, &model, key)
        default:
            _ = remove(&object, &model, key)
            assign(&object, &model, key, .string(key))
        }
        verify(object, model)
    }
}

private func assign(_ object: inout JSONObject, _ model: inout [(String, JSONValue)], _ key: String, _ value: JSONValue) {
    object[key] = value
    if let i = model.firstIndex(where: { $0.0.utf8.elementsEqual(key.utf8) }) { model[i].1 = value } else { model.append((key, value)) }
}

private func remove(_ object: inout JSONObject, _ model: inout [(String, JSONValue)], _ key: String) -> Bool {
    let removed = object.removeValue(forKey: key)
    let i = model.firstIndex(where: { $0.0.utf8.elementsEqual(key.utf8) })
    check((removed == nil) == (i == nil), "removeValue('\(key)') returned \(String(describing: removed)) but the model has \(i.map { "\($0)" } ?? "nothing")")
    if let i {
        check(removed == model[i].1, "removeValue('\(key)') returned another value")
        model.remove(at: i)
    }
    return removed != nil
}

private func verify(_ object: JSONObject, _ model: [(String, JSONValue)]) {
    check(object.count == model.count, "count \(object.count), model \(model.count)")
    check(object.keys.elementsEqual(model.map(\.0)) { $0.utf8.elementsEqual($1.utf8) }, "key order differs from the model")
    for (i, (key, value)) in model.enumerated() {
        check(object[key] == value, "lookup of '\(key)' differs from the model")
        check(object.position(ofKey: key) == i, "position of '\(key)' is \(String(describing: object.position(ofKey: key))), model \(i)")
    }
    check(object == JSONObject(model), "the edited object differs from one built from the same pairs")
    check(object.hashValue == JSONObject(model).hashValue, "equal objects hash differently")
}

// MARK: - The protocol layer

private func protocolChecks(_ value: JSONValue) {
    let members: [JSONValue]
    if case .array(let batch) = value { members = batch } else { members = [value] }
    for member in members {
        let incoming = Incoming.classify(member)
        let expected = expectedKind(member)
        switch incoming {
        case .request(let request):
            check(expected == "request", "classified a request, expected \(expected)")
            check(request.id == member["id"] && request.method == member["method"]?.stringValue, "request fields differ")
            envelopeCheck(request)
        case .notification(let notification):
            check(expected == "notification", "classified a notification, expected \(expected)")
            check(notification.method == member["method"]?.stringValue, "notification method differs")
        case .response:
            check(expected == "response", "classified a response, expected \(expected)")
        case .invalid(let id, let error):
            check(expected == "invalid", "classified invalid (\(error.code)), expected \(expected)")
            check(error.code == -32600 || error.code == -32602, "invalid with code \(error.code)")
            check(error.httpStatus == 400, "an invalid message is not a 400")
            check(id == .null || id == member["id"], "invalid answered under an id the message did not carry")
        }
    }
}

/// JSON-RPC 2.0 as this server reads it, written independently of `Incoming.classify`.
private func expectedKind(_ value: JSONValue) -> String {
    guard case .object(let m) = value, m["jsonrpc"]?.stringValue == "2.0" else { return "invalid" }
    let hasID = m.keys.contains("id")
    let goodID: Bool
    switch m["id"] {
    case .string?: goodID = true
    case .number(let n)?: goodID = n.isInteger && m["id"]?.intValue != nil  // 64 bits at most
    default: goodID = false
    }
    if m.keys.contains("method") {
        guard m["method"]?.stringValue != nil else { return "invalid" }
        let paramsOK: Bool
        switch m["params"] {
        case .none, .some(.null), .some(.object): paramsOK = true
        default: paramsOK = false
        }
        if !hasID { return "notification" }
        return goodID && paramsOK ? "request" : "invalid"
    }
    return goodID && (m.keys.contains("result") || m.keys.contains("error")) ? "response" : "invalid"
}

private func envelopeCheck(_ request: Request) {
    let meta = request.params["_meta"]?.objectValue
    let hasBoth = meta.map { $0.keys.contains("io.modelcontextprotocol/protocolVersion")
        && $0.keys.contains("io.modelcontextprotocol/clientCapabilities") } ?? false
    let version = meta?["io.modelcontextprotocol/protocolVersion"]
    switch request.envelope() {
    case .success(let envelope):
        check(hasBoth && version == "2026-07-28" && envelope.version == "2026-07-28", "accepted an envelope it should refuse")
    case .failure(let error):
        if hasBoth, let text = version?.stringValue {
            check(text != "2026-07-28", "refused a served version")
            check(error.code == -32022 && error.data?["requested"] == version, "an unserved version is not -32022 naming it")
        } else {
            check(error.code == -32602, "a malformed envelope is not -32602 (got \(error.code))")
        }
    }
}
