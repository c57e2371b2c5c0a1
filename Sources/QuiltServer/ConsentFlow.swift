import Logging
import QuiltContract
import QuiltJSON
import QuiltProtocol
import QuiltTools

/// What asking the user came to.
enum ConsentDecision: Sendable {
    /// The user agreed (or the caller said so with `confirm: true`): the call runs.
    case granted
    /// The call does not run; its result is this failure.
    case refused(ToolError)
    /// 2026-07-28: answer the request with this `InputRequiredResult`; the client asks the user and retries.
    case inputRequired(JSONObject)
}

/// Asking the user before a call destroys something, by the means the client has:
///
/// 1. 2026-07-28: the client retried with `inputResponses.confirm` and the `requestState` minted for this very call
///    → its answer decides. Otherwise, when it declared form elicitation, an `InputRequiredResult` asks it.
/// 2. Handshake era on a connection that carries server-to-client requests (stdio), when the client declared
///    elicitation: an `elicitation/create` request, answered before the call goes on.
/// 3. Anything else: the call is refused with the question, and the caller passes `confirm: true` once the user
///    agreed.
enum ConsentFlow {
    /// The key of the one input this server asks for.
    static let inputKey = "confirm"

    static func decide(question: String, tool: String, arguments: JSONObject, request: RequestContext, context: ServerContext) async
        -> ConsentDecision
    {
        let form = declaresFormElicitation(request.clientCapabilities)
        if request.era.isModern {
            let binding = RequestState.binding(tool: tool, arguments: arguments, principal: context.principal)
            let state = RequestState.key(for: context.mode)
            if let answer = request.params["inputResponses"]?[inputKey] {
                guard let token = request.params["requestState"]?.stringValue, state.verify(token, binding: binding) else {
                    return .refused(ToolError(.invalidInput(
                        field: "requestState",
                        reason: "does not belong to this call: it was made for other arguments or another caller, or more than "
                            + "ten minutes ago. Call again without inputResponses to be asked anew.")))
                }
                return decision(answer, question: question)
            }
            guard form else { return .refused(needsConfirm(question)) }
            return .inputRequired([
                "resultType": "input_required",
                "inputRequests": [inputKey: ["method": "elicitation/create", "params": .object(elicitation(question, modern: true))]],
                "requestState": .string(state.seal(binding)),
            ])
        }
        guard form, let ask = request.requester else { return .refused(needsConfirm(question)) }
        do {
            let answer = try await ask("elicitation/create", elicitation(question, modern: false))
            return decision(.object(answer), question: question)
        } catch is CancellationError {
            return .refused(ToolError(.cancelled("the call was cancelled while the user was asked: \(question)")))
        } catch {
            context.logger.info("elicitation failed; the call needs confirm=true", metadata: ["tool": "\(tool)", "error": "\(error)"])
            return .refused(needsConfirm(question))
        }
    }

    /// Whether the client can show a form: `elicitation` declared, empty (before modes existed) or with `form`.
    static func declaresFormElicitation(_ capabilities: JSONObject) -> Bool {
        guard let elicitation = capabilities["elicitation"]?.objectValue else { return false }
        return elicitation.isEmpty || elicitation.position(ofKey: "form") != nil
    }

    /// An `elicitation/create` for `question`: one yes/no field.
    static func elicitation(_ question: String, modern: Bool) -> JSONObject {
        var params: JSONObject = [
            "message": .string(question),
            "requestedSchema": [
                "type": "object",
                "properties": [inputKey: ["type": "boolean", "title": "Go ahead", "description": .string(question)]],
                "required": [.string(inputKey)],
            ],
        ]
        if modern { params["mode"] = "form" }
        return params
    }

    /// The user's answer: `accept` with `confirm` not false goes ahead; `decline`, `cancel` or `confirm: false` do not.
    static func decision(_ answer: JSONValue, question: String) -> ConsentDecision {
        let action = answer["action"]?.stringValue ?? ""
        if action == "accept", answer["content"]?[inputKey]?.boolValue != false { return .granted }
        let how = action == "accept" ? "said no" : (action.isEmpty ? "gave no answer" : "chose \(action)")
        return .refused(ToolError(.cancelled("not done: the user \(how) when asked: \(question)")))
    }

    /// The refusal a client that cannot ask anyone gets: the question, and how to go ahead.
    static func needsConfirm(_ question: String) -> ToolError {
        ToolError(.invalidInput(
            field: "confirm",
            reason: "this call needs the user's consent: \(question) Ask the user; once they agree, call again with confirm=true."))
    }
}
