import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chromium started with `--remote-debugging-pipe`: it reads DevTools messages, each ended by a NUL
/// byte, on its fd 3, and writes its own the same way on its fd 4.
///
/// It runs in a process group of its own, so that `terminate` ends its helpers (zygote, renderer, GPU)
/// too. Its messages are read on a plain thread, never on the Swift concurrency pool: on a two-core
/// machine a blocked pool thread starves the in-process server the browser is loading pages from.
final class ChromiumProcess: Sendable {
    let pid: pid_t
    /// Our end of the pipe chromium reads commands from (its fd 3).
    private let commands: Int32
    /// Every message chromium writes, in order, NUL removed; finishes when chromium closes its end.
    let messages: AsyncStream<[UInt8]>
    let profile: URL
    /// Chromium's standard error, quoted when it exits unexpectedly.
    let log: URL

    init(executable: String, arguments: [String], profile: URL) throws(BrowserError) {
        // A write to a pipe whose reader died must fail with EPIPE, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        try? FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        self.profile = profile
        log = profile.appendingPathComponent("chrome-stderr.log")
        let toBrowser = try Self.pipeEnds(), fromBrowser = try Self.pipeEnds()

        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        // dup2 clears close-on-exec on the copy: fds 3 and 4 are the only pipe ends chromium inherits.
        posix_spawn_file_actions_adddup2(&actions, toBrowser.read, 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser.write, 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        // Chromium's own temporary files (its singleton socket, shared memory) go inside the profile, so
        // that a browser killed outright leaves nothing behind in /tmp once the profile is removed.
        let temporary = profile.appendingPathComponent("tmp")
        try? FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary.path
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(toBrowser.read)
        close(fromBrowser.write)
        guard status == 0 else {
            close(toBrowser.write)
            close(fromBrowser.read)
            throw BrowserError.cannotStart("posix_spawn \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        commands = toBrowser.write
        messages = Self.readMessages(from: fromBrowser.read)
    }

    /// A pipe whose two ends are close-on-exec and numbered 10 or more: dup2 onto fd 3 or 4 from a
    /// descriptor already numbered so would leave close-on-exec set, and chromium without its pipe.
    /// (Swift's Glibc lacks `pipe2`: a process spawned by another test in the instant between `pipe` and
    /// `fcntl` could inherit the first ends, which would only delay seeing chromium exit to a timeout.)
    private static func pipeEnds() throws(BrowserError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BrowserError.cannotStart("pipe: \(String(cString: strerror(errno)))") }
        let ends = (fcntl(fds[0], F_DUPFD_CLOEXEC, 10), fcntl(fds[1], F_DUPFD_CLOEXEC, 10))
        close(fds[0])
        close(fds[1])
        guard ends.0 >= 0, ends.1 >= 0 else { throw BrowserError.cannotStart("fcntl: \(String(cString: strerror(errno)))") }
        return ends
    }

    /// Splits what chromium writes into NUL-ended messages, on a thread of its own.
    private static func readMessages(from fd: Int32) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        Thread.detachNewThread {
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            var scanned = 0
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                pending.append(contentsOf: chunk[0..<count])
                // A screenshot arrives in many chunks: look for the NUL only in what is new.
                while let end = pending[scanned...].firstIndex(of: 0) {
                    continuation.yield(Array(pending[..<end]))
                    pending.removeFirst(end + 1)
                    scanned = 0
                }
                scanned = pending.count
            }
            close(fd)
            continuation.finish()
        }
        return stream
    }

    /// Writes one message and its NUL; false when chromium no longer reads.
    func send(_ message: [UInt8]) -> Bool {
        let bytes = message + [0]
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(commands, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// The end of chromium's standard error, to say why it stopped.
    func logTail(lines: Int = 8) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Ends chromium and its helpers at once (nothing of a test profile is worth a graceful exit), reaps
    /// it off the concurrency pool, and removes the profile.
    func terminate() async {
        close(commands)
        // The group is still ours: chromium, its leader, is not reaped until below.
        kill(-pid, SIGKILL)
        let pid = self.pid
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                done.resume()
            }
        }
        // A helper dying a moment after its leader may still have had a file open: try twice.
        for _ in 0..<2 where FileManager.default.fileExists(atPath: profile.path) {
            try? FileManager.default.removeItem(at: profile)
        }
    }
}
