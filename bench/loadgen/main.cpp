// loadgen: a load generator for any server that speaks the original statement protocol.
//   loadgen --url ws://127.0.0.1:9000 --clients 200 --senders 10 --messages 500 --rate 10
// N clients connect, one creates a room, all enter it, S senders send M messages each
// (body "t=<ns since epoch>;s=<sender>;n=<seq>"), every client records delivery latency.
// Prints one JSON line (docs/PERFORMANCE.md lists the keys). Also --idle SECONDS (idle
// connections, with --server-pid for the server's RSS and CPU), --strokes K (board late join) and
// --logins R (fan-out while R logins a second are made, each on a fresh connection).
#include "coordinator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>
#include <cstdio>

using namespace chalk::bench;

int main(int argc, char *argv[])
{
    // Qt's own Unix event loop: the glib one is measurably slower with many sockets.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("loadgen"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Chalkroom load generator (statement protocol)"));
    p.addHelpOption();
    auto opt = [&p](const char *name, const char *help, const char *value, const char *def) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help),
                             QString::fromLatin1(value), QString::fromLatin1(def));
        p.addOption(o);
        return o;
    };
    const auto url = opt("url", "Server URL.", "ws-url", "ws://127.0.0.1:9000");
    const auto clients = opt("clients", "Connected clients (N).", "n", "10");
    const auto senders = opt("senders", "Clients that send (S <= N).", "s", "1");
    const auto messages = opt("messages", "Messages per sender (M).", "m", "100");
    const auto rate =
        opt("rate", "Messages/s per sender; 0 = as fast as --inflight allows.", "r", "0");
    const auto inflight = opt("inflight", "Unacknowledged messages per sender (W).", "w", "8");
    const auto threads = opt("threads", "Worker threads (K), each with an event loop.", "k", "2");
    const auto pending = opt("pending-connects", "Handshakes in progress per worker.", "n", "32");
    const auto timeout =
        opt("timeout", "Give up after this many seconds; report what arrived.", "s", "120");
    const auto settle =
        opt("settle-ms", "Pause after everyone entered before sending.", "ms", "500");
    const auto pad = opt("body-pad", "Extra characters per message body.", "n", "0");
    const auto room = opt("room", "Enter this room uuid instead of creating one.", "uuid", "");
    const auto pid = opt("server-pid", "Report this process's CPU and RSS.", "pid", "0");
    const auto idle = opt("idle", "Idle mode: stay connected this many seconds.", "s", "0");
    const auto ping =
        opt("ping-interval", "Each client pings every this many seconds (0 = never).", "s", "0");
    const auto strokes =
        opt("strokes", "Board mode: draw K strokes, then late joiners enter.", "k", "0");
    const auto points = opt("points", "Board mode: x,y pairs per stroke.", "n", "32");
    const auto joins = opt("joins", "Board mode: late joiners, one after the other.", "n", "3");
    const auto logins = opt("logins",
                            "Fan-out mode: this many logins per second on fresh connections "
                            "while the room is measured (0: none, keys printed).",
                            "r", "-1");
    const auto loginAccounts =
        opt("login-accounts", "Accounts registered before the run for --logins.", "n", "10");
    const auto loginInflight = opt(
        "login-inflight", "Logins waiting at once; more that fall due are skipped.", "n", "100");
    const QCommandLineOption idleEnter(QStringLiteral("idle-enter"),
                                       QStringLiteral("Idle mode: clients also enter one room."));
    p.addOption(idleEnter);
    p.process(app);

    bool ok = true;
    auto toInt = [&](const QCommandLineOption &o, int min) {
        bool good = false;
        const int v = p.value(o).toInt(&good);
        if (!good || v < min) {
            std::fprintf(stderr, "loadgen: --%s: expected an integer >= %d\n",
                         qPrintable(o.names().constFirst()), min);
            ok = false;
        }
        return v;
    };
    auto toDouble = [&](const QCommandLineOption &o) {
        bool good = false;
        const double v = p.value(o).toDouble(&good);
        if (!good || v < 0) {
            std::fprintf(stderr, "loadgen: --%s: expected a number >= 0\n",
                         qPrintable(o.names().constFirst()));
            ok = false;
        }
        return v;
    };

    LoadConfig c;
    c.url = QUrl(p.value(url));
    c.clients = toInt(clients, 1);
    c.senders = toInt(senders, 0);
    c.messages = toInt(messages, 0);
    c.rate = toDouble(rate);
    c.inflight = toInt(inflight, 1);
    c.threads = toInt(threads, 1);
    c.pendingConnects = toInt(pending, 1);
    c.timeoutS = toDouble(timeout);
    c.settleMs = toInt(settle, 0);
    c.bodyPad = toInt(pad, 0);
    c.room = p.value(room);
    c.serverPid = p.value(pid).toLongLong();
    c.idleS = toDouble(idle);
    c.idleEnter = p.isSet(idleEnter);
    c.pingIntervalS = toDouble(ping);
    c.strokes = toInt(strokes, 0);
    c.points = toInt(points, 1);
    c.joins = toInt(joins, 1);
    if (p.isSet(logins))
        c.loginRate = toDouble(logins);
    c.loginAccounts = toInt(loginAccounts, 1);
    c.loginInflight = toInt(loginInflight, 1);
    // The raw client speaks plain ws:// only (no TLS): benchmarks run on the loopback.
    if (!c.url.isValid() || c.url.scheme() != QLatin1String("ws")) {
        std::fprintf(stderr, "loadgen: --url: expected ws://host:port (wss:// is not supported)\n");
        ok = false;
    }
    if (c.senders > c.clients) {
        std::fprintf(stderr, "loadgen: --senders may not exceed --clients\n");
        ok = false;
    }
    if (!ok)
        return 2;
    if (c.strokes > 0) {
        c.mode = Mode::Board;
        c.clients = 1 + c.joins; // one drawer, then the late joiners
    } else if (c.idleS > 0) {
        c.mode = Mode::Idle;
    }
    if (c.mode != Mode::Fanout && c.loginRate >= 0) {
        std::fprintf(stderr, "loadgen: --logins goes with the fan-out mode only\n");
        return 2;
    }

    Coordinator coordinator(c);
    QTimer::singleShot(0, &coordinator, [&coordinator] { coordinator.start(); });
    return app.exec();
}
