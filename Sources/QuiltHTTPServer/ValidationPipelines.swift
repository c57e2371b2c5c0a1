import MCP
import QuiltMode

/// The swift-sdk request checks for each transport. DNS-rebinding protection (allowed `Host`/`Origin`) applies
/// to local deployments only: a remote one is reached under its own host name and authenticates with tokens.
enum ValidationPipelines {
    static func origin(_ mode: Mode) -> OriginValidator {
        mode.locale == .local ? .localhost() : .disabled
    }

    /// POST accepting `application/json`, JSON bodies, a supported `MCP-Protocol-Version` when given.
    static func stateless(_ mode: Mode) -> any HTTPRequestValidationPipeline {
        StandardValidationPipeline(validators: [
            origin(mode), AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
        ])
    }

    /// As ``stateless(_:)``, with Server-Sent Events accepted and the session header checked.
    static func sessions(_ mode: Mode) -> any HTTPRequestValidationPipeline {
        StandardValidationPipeline(validators: [
            origin(mode), AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(),
            SessionValidator(),
        ])
    }
}
