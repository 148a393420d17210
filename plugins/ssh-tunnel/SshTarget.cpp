#include "SshTarget.hpp"

#include "../common/Text.hpp"

#include <sstream>
#include <stdexcept>

namespace openclaw::sshtunnel {

using plugin_text::trimmed;

namespace {

bool contains(const std::string& text, const char* what) {
    return text.find(what) != std::string::npos;
}

} // namespace

SshTarget parseTarget(const std::string& text) {
    std::string t = trimmed(text);
    if (t.rfind("ssh ", 0) == 0) t = trimmed(t.substr(4));
    if (t.empty()) throw std::runtime_error("the SSH target is empty (use user@host[:port])");
    SshTarget r;
    const size_t at = t.rfind('@');
    if (at != std::string::npos) {
        r.user = t.substr(0, at);
        t = t.substr(at + 1);
    }
    std::string port;
    if (!t.empty() && t.front() == '[') { // [v6]:port
        const size_t close = t.find(']');
        if (close == std::string::npos)
            throw std::runtime_error("the SSH target's host \"" + t + "\" lacks its ']'");
        if (close + 1 < t.size()) {
            if (t[close + 1] != ':')
                throw std::runtime_error("the SSH target \"" + text + "\" is not user@[host]:port");
            port = t.substr(close + 2);
        }
        t = t.substr(1, close - 1);
    } else if (t.find(':') != std::string::npos &&
               t.find(':') == t.rfind(':')) { // host:port (a bare v6 has more)
        port = t.substr(t.find(':') + 1);
        t = t.substr(0, t.find(':'));
    }
    if (!port.empty() || (text.find(':') != std::string::npos && port.empty() &&
                          t.find(':') == std::string::npos && text.back() == ':')) {
        if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(port) < 1 || std::stoi(port) > 65535)
            throw std::runtime_error("the SSH target's port \"" + port +
                                     "\" is not a number from 1 to 65535");
        r.port = std::stoi(port);
    }
    r.host = t;
    if (r.host.empty()) throw std::runtime_error("the SSH target has no host (use user@host[:port])");
    if (r.host.front() == '-' || (!r.user.empty() && r.user.front() == '-'))
        throw std::runtime_error("the SSH target \"" + text +
                                 "\" starts with \"-\", which ssh would read as an option");
    if (r.host.find_first_of(" \t\n'\"") != std::string::npos)
        throw std::runtime_error("the SSH target's host \"" + r.host + "\" contains spaces or quotes");
    return r;
}

SshConfig parseSshG(const std::string& text) {
    SshConfig c;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const size_t sp = line.find(' ');
        if (sp == std::string::npos) continue;
        const std::string key = line.substr(0, sp);
        const std::string value = trimmed(line.substr(sp + 1));
        if (key == "user")
            c.user = value;
        else if (key == "hostname")
            c.hostname = value;
        else if (key == "port" && !value.empty() && value.size() <= 5 &&
                 value.find_first_not_of("0123456789") == std::string::npos)
            c.port = std::stoi(value);
        else if (key == "identityfile" && c.identityFile.empty() && value != "none")
            c.identityFile = value;
    }
    return c;
}

std::string explainSshFailure(const std::string& stderrText, int exitCode, const SshTarget& target,
                              int port) {
    const std::string err = trimmed(stderrText);
    const std::string hostPort = port == 22 ? target.host : "[" + target.host + "]:" + std::to_string(port);
    if (contains(err, "Host key verification failed") || contains(err, "No ED25519 host key is known") ||
        contains(err, "host key for") || contains(err, "REMOTE HOST IDENTIFICATION HAS CHANGED"))
        return "the SSH host key of " + hostPort + " is not trusted yet (ssh: " + err +
               "). Check its fingerprint, then trust it with: ssh-keyscan -p " + std::to_string(port) + " " +
               target.host + " >> ~/.ssh/known_hosts   (or connect once: ssh -p " + std::to_string(port) +
               " " + target.destination() + ")";
    if (contains(err, "Permission denied"))
        return "SSH authentication to " + target.destination() + " was refused (ssh: " + err +
               "). Pass the right key with --ssh-identity <file> (gateway.remote.sshIdentity), or add it to "
               "ssh-agent";
    if (contains(err, "Connection refused"))
        return "nothing accepts SSH on " + target.host + ":" + std::to_string(port) + " (ssh: " + err + ")";
    if (contains(err, "Could not resolve hostname"))
        return "the SSH host \"" + target.host + "\" is unknown (ssh: " + err + ")";
    if (contains(err, "Connection timed out") || contains(err, "timed out"))
        return "SSH to " + target.host + ":" + std::to_string(port) + " timed out (ssh: " + err + ")";
    return "ssh exited (" + std::to_string(exitCode) + ")" + (err.empty() ? "" : ": " + err);
}

} // namespace openclaw::sshtunnel
