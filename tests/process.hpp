// Running the careflow command as a child process in tests: to completion with its output
// and exit status, or line by line with a SIGKILL at a moment the test chooses.
#pragma once

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace careflow::test {

/// A child process whose standard output the test reads line by line.
class child {
public:
    /// Start `argv` (argv[0] a path) with standard input from `stdin_path` ("" for none)
    /// and standard error to `stderr_path` ("" for /dev/null).
    explicit child(const std::vector<std::string>& argv, const std::string& stdin_path = {},
                   const std::string& stderr_path = {}) {
        int out[2];
        if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            const int in = ::open(stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY);
            const int err = stderr_path.empty() ? ::open("/dev/null", O_WRONLY)
                                                : ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(in, 0);
            ::dup2(out[1], 1);
            ::dup2(err, 2);
            ::close(out[0]);
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
        ::close(out[1]);
        fd_ = out[0];
    }
    ~child() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            (void)wait();
        }
        if (fd_ >= 0) ::close(fd_);
    }
    child(const child&) = delete;
    child& operator=(const child&) = delete;

    /// The next line of output (without its newline); false at the end of the output. A
    /// last fragment without its newline (a process killed while writing) is no line.
    bool line(std::string& out) {
        for (;;) {
            if (const auto nl = buf_.find('\n'); nl != std::string::npos) {
                out.assign(buf_, 0, nl);
                buf_.erase(0, nl + 1);
                return true;
            }
            char chunk[65536];
            const ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                fragment_ = std::move(buf_);
                buf_.clear();
                return false;
            }
            buf_.append(chunk, static_cast<std::size_t>(n));
        }
    }
    /// Everything left on its output.
    std::string rest() {
        std::string all, l;
        while (line(l)) all += l + "\n";
        return all;
    }
    /// What was left after the last newline when the output ended.
    [[nodiscard]] const std::string& fragment() const noexcept { return fragment_; }
    void kill() { ::kill(pid_, SIGKILL); }
    /// The exit status (a signal that ended it: 128 + its number).
    int wait() {
        if (pid_ <= 0) return status_;
        int st = 0;
        while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_;
    }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string buf_, fragment_;
    int status_ = -1;
};

/// The lines of a text (without their newlines).
inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto nl = text.find('\n', at);
        out.push_back(text.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
        if (nl == std::string::npos) break;
        at = nl + 1;
    }
    return out;
}

/// A finished run: exit status, standard output and standard error.
struct ran {
    int status = -1;
    std::string out, err;
};

/// Run `argv` to its end (standard input from `stdin_path`, "" for none).
inline ran run_to_end(const std::vector<std::string>& argv, const std::string& stdin_path = {}) {
    char name[] = "/tmp/careflow-stderr-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd >= 0) ::close(fd);
    ran r;
    {
        child c(argv, stdin_path, name);
        r.out = c.rest();
        r.out += c.fragment(); // a finished process's last words, newline or not
        r.status = c.wait();
    }
    if (FILE* f = std::fopen(name, "rb")) {
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) r.err.append(buf, n);
        std::fclose(f);
    }
    ::unlink(name);
    return r;
}

} // namespace careflow::test
