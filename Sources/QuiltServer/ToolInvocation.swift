import Logging
import QuiltBackends
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltProtocol
import QuiltTools
import Synchronization

/// One `tools/call` through ``QuiltTools/ToolCatalog``, whatever protocol layer carries it: the backend, progress,
/// cancellation, logs and metrics. The layer turns the ``Outcome`` into its result shape.
enum ToolInvocation {
    /// What a call came to.
    enum Outcome: Sendable {
        /// The tool's structured result, or its typed failure (answered with `isError: true`, never a protocol error).
        case answered(Result<JSONValue, ToolError>)
        /// The call gave up because it was cancelled: it must not be answered.
        case stopped
        /// The call waits for the user's consent: answer with this `InputRequiredResult` (2026-07-28).
        case inputRequired(JSONObject)
    }

    /// Asks the user the question a destructive call raises; nil where nobody can be asked (the command line).
    typealias AskConsent = @Sendable (_ question: String) async -> ConsentDecision

    /// Runs tool `name` with `arguments` (exact, as the client wrote them).
    ///
    /// `progress` sends one notification; nil when the client asked for none. `switchboard` lets another request
    /// cancel the call (stateless HTTP, sessions); the caller's own task cancellation works either way. A call the
    /// cancellation reached only after it completed (past its commit point) is answered: its write stands, and an
    /// answer the client ignores is better than no answer for a change that happened.
    static func run(
        _ name: String, arguments: JSONObject, progress: ProgressForwarder.Send?, switchboard: CallCancellation?,
        context: ServerContext, consent: AskConsent? = nil
    ) async -> Outcome {
        let started = ContinuousClock.now
        let pending = Pending()
        let work: @Sendable () async -> Result<JSONValue, ToolError> = {
            switch await context.backend() {
            case .failure(let error):
                return .failure(ToolError(error))
            case .success(let ops):
                let forwarder = progress.map { ProgressForwarder(send: $0) }
                var toolContext = ToolContext(
                    ops: ops, defaultRegistry: context.mode.registry, progress: forwarder?.handler, catalogURL: context.mode.catalogURL,
                    readOnly: context.mode.readOnlySetting)
                toolContext.toolsets = context.toolsets
                toolContext.services = context.services
                toolContext.resources = .server(context)
                if let consent, let question = await ToolCatalog.consentQuestion(name, arguments: arguments, context: toolContext) {
                    switch await consent(question) {
                    case .granted: break
                    case .refused(let error): return .failure(error)
                    case .inputRequired(let result):
                        pending.set(result)
                        return .failure(ToolError(.cancelled("waiting for the user's consent")))
                    }
                }
                let outcome: Result<JSONValue, ToolError>
                do throws(ToolError) {
                    outcome = .success(try await ToolCatalog.call(name, arguments: arguments, context: toolContext))
                } catch {
                    outcome = .failure(error)
                }
                await forwarder?.finish()
                return outcome
            }
        }
        let call: @Sendable () async -> Result<JSONValue, ToolError> = {
            if let switchboard { await switchboard.run(work) } else { await work() }
        }
        // Off the connection's event loop: a long computation there would stall every connection it serves.
        let outcome = if PreferredExecutor.current != nil, ToolCatalog.mayComputeLong(name) {
            await PreferredExecutor.run(on: nil, call)
        } else {
            await call()
        }
        let elapsed = ContinuousClock.now - started
        if let inputRequired = pending.result {
            context.logger.info("tools/call waits for the user's consent", metadata: ["tool": "\(name)"])
            return .inputRequired(inputRequired)
        }
        if Task.isCancelled || switchboard?.isCancelled == true {
            if case .success = outcome {
                context.logger.info(
                    "tools/call completed before its cancellation took effect", metadata: ["tool": "\(name)", "elapsed": "\(elapsed)"])
            } else {
                context.logger.info("tools/call cancelled", metadata: ["tool": "\(name)", "elapsed": "\(elapsed)"])
                ToolMetrics.record(tool: name, outcome: "cancelled", elapsed: elapsed)
                switchboard?.markStopped()
                return .stopped
            }
        }
        switch outcome {
        case .success:
            context.logger.info("tools/call ok", metadata: ["tool": "\(name)", "elapsed": "\(elapsed)"])
            ToolMetrics.record(tool: name, outcome: "ok", elapsed: elapsed)
        case .failure(let failure):
            ToolMetrics.record(tool: name, outcome: failure.error.kind, elapsed: elapsed)
            context.logger.info(
                "tools/call failed", metadata: ["tool": "\(name)", "kind": "\(failure.error.kind)", "elapsed": "\(elapsed)"])
        }
        return .answered(outcome)
    }

    /// An `InputRequiredResult` set by the call's work, read after it.
    private final class Pending: Sendable {
        private let value = Mutex<JSONObject?>(nil)
        func set(_ result: JSONObject) { value.withLock { $0 = result } }
        var result: JSONObject? { value.withLock { $0 } }
    }

    /// The text content a client without structured output reads: the compact result, or the error with its hint.
    static func text(_ outcome: Result<JSONValue, ToolError>) -> String {
        switch outcome {
        case .success(let result): return JSONWriter.compact(result)
        case .failure(let failure): return "\(failure.error.kind): \(failure.error.message)\nHint: \(failure.hint)"
        }
    }

    /// The structured content: the result, or the typed error.
    static func structured(_ outcome: Result<JSONValue, ToolError>) -> JSONValue {
        switch outcome {
        case .success(let result): return result
        case .failure(let failure): return failure.json
        }
    }
}
