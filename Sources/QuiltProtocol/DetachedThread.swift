#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A detached POSIX thread for blocking work (Foundation's `Thread` without Foundation: the server path imports
/// FoundationEssentials only, so libFoundation and ICU are never loaded).
package enum DetachedThread {
    /// Starts `body` on a new detached thread, named `name` where the platform's module lets us (Darwin).
    /// - Returns: false when the thread could not be created (`body` then never runs).
    @discardableResult
    package static func start(name: String, stackSize: Int = 256 * 1024, _ body: @escaping @Sendable () -> Void) -> Bool {
        final class Box {
            let name: String
            let body: @Sendable () -> Void
            init(_ name: String, _ body: @escaping @Sendable () -> Void) { (self.name, self.body) = (name, body) }
        }
        let box = Unmanaged.passRetained(Box(name, body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let created = pthread_create(&thread, &attributes, { raw in
            #if canImport(Darwin)
                let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
                pthread_setname_np(String(box.name.utf8.prefix(15)) ?? "")
            #else
                guard let raw else { return nil }
                let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()  // Glibc's module has no pthread_setname_np
            #endif
            box.body()
            return nil
        }, box)
        if created != 0 { Unmanaged<Box>.fromOpaque(box).release() }
        return created == 0
    }
}
