package import QuiltContract
package import QuiltMode
import QuiltQuery

extension BackendFactory {
    /// The query engine for `mode` over the package backend `ops`: the embedded SQLite engine on every mode today
    /// (Athena joins it when a deployment configures it). One query reads at most `max_object_bytes` of files.
    package static func queryEngine(mode: Mode, ops: any QuiltOps) -> any QueryOps {
        EmbeddedQueryEngine(
            ops: ops, byteLimit: (Int64(mode.limits.objectBytes), Mode.Limits.variable(.maxObjectBytes)))
    }
}
