/// The executor the request being served runs on, for the unstructured tasks it starts.
///
/// A task executor preference (`withTaskExecutorPreference`) reaches child tasks but not `Task { }`: a request
/// whose tool call runs in a task of its own (so another request can cancel it) would leave its event loop for
/// the global executor and cross threads twice more. Servers set ``current`` where they set the preference, and
/// such tasks are made with ``task(_:)``.
package enum PreferredExecutor {
    /// The preferred executor of the request being served; nil: the global executor.
    @TaskLocal package static var current: (any TaskExecutor)?

    /// Runs `body` on `executor` (nil: the global executor), with ``current`` saying so, so the unstructured tasks
    /// it starts with ``task(_:)`` run there too.
    package static func run<T: Sendable>(on executor: (any TaskExecutor)?, _ body: () async -> T) async -> T {
        await $current.withValue(executor) {
            await withTaskExecutorPreference(executor ?? globalConcurrentExecutor) { await body() }
        }
    }

    /// An unstructured task on ``current`` (on the global executor when there is none).
    package static func task<T: Sendable>(_ operation: sending @escaping @isolated(any) () async -> T) -> Task<T, Never> {
        Task(executorPreference: current, operation: operation)
    }
}
