// The chalkroom-server program run by a test (CHALK_SERVER_EXE, set by tests/server/
// CMakeLists.txt): start it with flags and wait until it listens, stop it, read its exit code.
#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTest>
#include <QUrl>
#include <functional>
#include <memory>

namespace chalk::test {

// A started server and the address it listens on (invalid when it did not get that far).
struct Running {
    std::unique_ptr<QProcess> process;
    QUrl url;
};

// Starts the server and waits for its "listening on ws://..." line. `inChild` runs in the
// child before the program (e.g. setrlimit).
inline Running launch(const QStringList &args, const std::function<void()> &inChild = {})
{
    Running r;
    r.process = std::make_unique<QProcess>();
    r.process->setProgram(QStringLiteral(CHALK_SERVER_EXE));
    r.process->setArguments(args);
    if (inChild)
        r.process->setChildProcessModifier(inChild);
    r.process->start();
    if (!r.process->waitForStarted(10000))
        return r;
    QByteArray out;
    const QRegularExpression listening(QStringLiteral("listening on (ws://\\S+)"));
    (void)QTest::qWaitFor(
        [&] {
            out += r.process->readAllStandardOutput();
            const auto m = listening.match(QString::fromUtf8(out));
            if (m.hasMatch())
                r.url = QUrl(m.captured(1));
            return r.url.isValid() || r.process->state() == QProcess::NotRunning;
        },
        20000);
    return r;
}

// Its exit code; -1 when it did not finish (then killed), -2 when it crashed.
inline int finish(QProcess &p)
{
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
}

// On 127.0.0.1, any free port, memory storage, plus `flags`.
inline Running launchMemory(const QStringList &flags, const std::function<void()> &inChild = {})
{
    return launch(QStringList{"--host", "127.0.0.1", "--port", "0", "--storage", "memory"} + flags,
                  inChild);
}

// SIGTERM, then a clean exit.
inline bool stops(Running &r)
{
    r.process->terminate();
    return finish(*r.process) == 0;
}

} // namespace chalk::test
