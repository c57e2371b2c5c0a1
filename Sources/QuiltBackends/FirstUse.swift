import QuiltContract
import Synchronization

/// A value made on its first use and kept; a failure to make it is kept too and is every later use's error (the
/// factory's Athena engine and the catalog's Tabulator, which a request that never calls them never pays for).
final class FirstUse<Value: Sendable>: Sendable {
    private let made = Mutex<Result<Value, QuiltOpsError>?>(nil)
    private let make: @Sendable () throws(QuiltOpsError) -> Value

    init(_ make: @escaping @Sendable () throws(QuiltOpsError) -> Value) { self.make = make }

    func get() throws(QuiltOpsError) -> Value {
        try made.withLock { slot in
            if let slot { return slot }
            let result = Result { () throws(QuiltOpsError) in try make() }
            slot = result
            return result
        }.get()
    }
}
