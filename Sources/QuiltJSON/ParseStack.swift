/// A LIFO stack of the elements (or members) of the containers being parsed, innermost last.
///
/// Each container pushes its children and, when it closes, *moves* its frame out into its final
/// exactly-sized array, so parsing never retains or releases a child twice and builds each container
/// with a single allocation. The first buffer is caller-provided (typically stack memory from
/// `withUnsafeTemporaryAllocation`); growth moves to the heap.
struct ParseStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private var ownsBase: Bool
    /// The number of initialized elements.
    private(set) var count = 0

    /// Uses `initial` (uninitialized memory that outlives this stack) as the first buffer.
    init(initial: UnsafeMutableBufferPointer<Element>) {
        if let address = initial.baseAddress, initial.count > 0 {
            base = address
            capacity = initial.count
            ownsBase = false
        } else {
            base = UnsafeMutablePointer<Element>.allocate(capacity: 16)
            capacity = 16
            ownsBase = true
        }
    }

    deinit {
        base.deinitialize(count: count)
        if ownsBase { base.deallocate() }
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        if ownsBase { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsBase = true
    }

    /// Moves the elements from `frame` to the top into a new array and pops them.
    mutating func popArray(from frame: Int) -> [Element] {
        let n = count - frame
        let source = base + frame
        // reserveCapacity + append measured faster than init(unsafeUninitializedCapacity:), whose
        // allocation path looks up the array storage metadata on every call.
        var result: [Element] = []
        result.reserveCapacity(n)
        for i in 0..<n { result.append((source + i).move()) }
        count = frame
        return result
    }

    /// Read-only view of the elements from `frame` to the top.
    func frame(from frame: Int) -> UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(start: base + frame, count: count - frame)
    }
}
