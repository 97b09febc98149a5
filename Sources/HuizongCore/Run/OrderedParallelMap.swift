import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Runs `work(i)` for i in 0..<count on `workers` threads and hands the results out strictly in
/// index order. At most `lookahead` results wait to be taken, so memory stays bounded while both
/// cores read and validate files ahead of the (sequential, order-sensitive) merge.
final class OrderedParallelMap<T>: @unchecked Sendable {
    private var results: [T?]
    private let ready: [DispatchSemaphore]
    private let window: DispatchSemaphore
    private var mutex = pthread_mutex_t()
    private var nextIndex = 0
    private let count: Int

    init(count: Int, workers: Int, lookahead: Int, work: @escaping @Sendable (Int) -> T) {
        self.count = count
        results = Array(repeating: nil, count: count)
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        window = DispatchSemaphore(value: max(1, lookahead))
        pthread_mutex_init(&mutex, nil)
        for _ in 0..<max(1, min(workers, count)) {
            DispatchQueue.global().async { [self] in
                while true {
                    window.wait()
                    pthread_mutex_lock(&mutex)
                    let i = nextIndex
                    nextIndex += 1
                    pthread_mutex_unlock(&mutex)
                    if i >= count {
                        window.signal()
                        return
                    }
                    let r = work(i)
                    pthread_mutex_lock(&mutex)
                    results[i] = r
                    pthread_mutex_unlock(&mutex)
                    ready[i].signal()
                }
            }
        }
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The result for `i`; call with i = 0, 1, 2, … in order.
    func take(_ i: Int) -> T {
        ready[i].wait()
        pthread_mutex_lock(&mutex)
        let r = results[i]!
        results[i] = nil
        pthread_mutex_unlock(&mutex)
        window.signal()
        return r
    }
}
