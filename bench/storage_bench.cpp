// storage_bench: the storage scenarios of docs/PERFORMANCE.md, one JSON line each.
//   durable_writes: N messages through SqliteStorage::addMessage from C concurrent writers
//     (each awaits its message, then sends the next); per-message latency from the call to
//     the acknowledgement, which comes only after the group commit holding it.
//   history: a room filled with N messages (bulk import, one transaction per chunk), then
//     a fresh SqliteStorage on the file: time of the first page and of a page in the middle.
// storage_bench [--scenario durable_writes|history|all] [--size tiny|full] [--messages N]
//               [--writers C] [--dir DIR]
#include "bench_json.h"
#include "server/storage/sqlite_storage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <sys/resource.h>
#include <vector>

using namespace chalk::server;
using chalk::protocol::Message;
using chalk::protocol::Room;
using chalk::protocol::User;

namespace {

using chalk::bench::printJson;

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}

// CPU seconds of this process (both threads): on a shared, busy machine wall-clock rates
// depend on the neighbours, the CPU cost per message does not.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double round3(double x)
{
    return std::round(x * 1000) / 1000;
}

Room benchRoom()
{
    Room r;
    r.uuid = chalk::protocol::newUuid();
    r.name = QStringLiteral("bench");
    r.color = QStringLiteral("#5da247");
    r.created = QDateTime::currentDateTimeUtc();
    return r;
}

Message benchMessage(const QString &room, const User &user, int i)
{
    Message m;
    m.roomUuid = room;
    m.user = user;
    m.body = QStringLiteral("message %1: the quick brown fox jumps over the lazy dog").arg(i);
    m.clientId = QStringLiteral("c%1").arg(i);
    return m;
}

struct WriterState {
    SqliteStorage *storage = nullptr;
    QString room;
    int next = 0;
    int total = 0;
    int failed = 0;
    int running = 0;
    std::vector<double> latencyMs;
};

QCoro::Task<void> writer(WriterState *st)
{
    const User user{chalk::protocol::newUuid(), QStringLiteral("writer"), QString()};
    while (st->next < st->total) {
        const int i = st->next++;
        QElapsedTimer t;
        t.start();
        auto task = st->storage->addMessage(benchMessage(st->room, user, i));
        const std::optional<StoredMessage> stored = co_await task;
        st->latencyMs.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!stored)
            ++st->failed;
    }
    --st->running;
}

bool durableWrites(const QString &dir, int messages, int writers)
{
    const QString path = QDir(dir).filePath(QStringLiteral("durable_writes.db"));
    QFile::remove(path);
    SqliteStorage storage(path);
    if (!QCoro::waitFor(storage.open())) {
        std::fprintf(stderr, "open %s: %s\n", qPrintable(path), qPrintable(storage.lastError()));
        return false;
    }
    const Room room = benchRoom();
    QCoro::waitFor(storage.createRoom(room));

    WriterState st;
    st.storage = &storage;
    st.room = room.uuid;
    st.total = messages;
    st.latencyMs.reserve(size_t(messages));
    const qint64 commitsBefore = storage.commitCount();
    QElapsedTimer wall;
    wall.start();
    const double cpuBefore = cpuSeconds();
    std::vector<QCoro::Task<void>> tasks;
    st.running = writers;
    for (int w = 0; w < writers; ++w)
        tasks.push_back(writer(&st));
    while (st.running > 0)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpuBefore;

    printJson({{"scenario", "durable_writes"},
               {"messages", messages},
               {"writers", writers},
               {"failed", st.failed},
               {"stored_per_s", std::round(double(messages - st.failed) / seconds)},
               {"commit_p50_ms", round3(percentile(st.latencyMs, 0.50))},
               {"commit_p99_ms", round3(percentile(st.latencyMs, 0.99))},
               {"commit_max_ms", round3(percentile(st.latencyMs, 1.0))},
               {"transactions", storage.commitCount() - commitsBefore},
               {"cpu_s", round3(cpu)},
               {"cpu_us_per_message", round3(cpu * 1e6 / messages)},
               {"synchronous", "NORMAL (WAL): survives process crash, not power loss"}});
    return st.failed == 0;
}

bool history(const QString &dir, int messages)
{
    const QString path = QDir(dir).filePath(QStringLiteral("history.db"));
    QFile::remove(path);
    const Room room = benchRoom();
    QString deepUuid; // a message in the middle of the room
    QElapsedTimer fill;
    fill.start();
    {
        SqliteStorage storage(path);
        if (!QCoro::waitFor(storage.open())) {
            std::fprintf(stderr, "open %s: %s\n", qPrintable(path),
                         qPrintable(storage.lastError()));
            return false;
        }
        QCoro::waitFor(storage.createRoom(room));
        const User user{chalk::protocol::newUuid(), QStringLiteral("filler"), QString()};
        constexpr int chunk = 50000;
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - qint64(messages) * 1000;
        for (int done = 0; done < messages;) {
            QList<Message> batch;
            const int n = std::min(chunk, messages - done);
            batch.reserve(n);
            for (int i = 0; i < n; ++i, ++done) {
                Message m = benchMessage(room.uuid, user, done);
                m.uuid = chalk::protocol::newUuid();
                m.created = QDateTime::fromMSecsSinceEpoch(start + done * 1000LL, Qt::UTC);
                if (done == messages / 2)
                    deepUuid = m.uuid;
                batch.append(m);
            }
            if (!QCoro::waitFor(storage.importMessages(batch))) {
                std::fprintf(stderr, "import: %s\n", qPrintable(storage.lastError()));
                return false;
            }
        }
    }
    const double fillSeconds = double(fill.nsecsElapsed()) / 1e9;

    // A fresh storage on the file, as after a restart: nothing of the room is cached by us.
    SqliteStorage storage(path);
    QElapsedTimer t;
    t.start();
    if (!QCoro::waitFor(storage.open()))
        return false;
    const double openMs = double(t.nsecsElapsed()) / 1e6;
    t.restart();
    const auto rooms = QCoro::waitFor(storage.listRooms());
    const double listRoomsMs = double(t.nsecsElapsed()) / 1e6;
    t.restart();
    const auto first = QCoro::waitFor(storage.listMessages(room.uuid, QString(), 50));
    const double firstMs = double(t.nsecsElapsed()) / 1e6;
    t.restart();
    const auto deep = QCoro::waitFor(storage.listMessages(room.uuid, deepUuid, 50));
    const double deepMs = double(t.nsecsElapsed()) / 1e6;
    const bool ok = rooms && rooms->size() == 1 && rooms->first().sum == messages && first &&
                    first->messages.size() == std::min(50, messages) && deep &&
                    deep->messages.size() == std::min(50, messages / 2);
    printJson({{"scenario", "history"},
               {"messages", messages},
               {"first_page_ms", round3(firstMs)},
               {"deep_page_ms", round3(deepMs)},
               {"list_rooms_ms", round3(listRoomsMs)},
               {"open_ms", round3(openMs)},
               {"fill_s", round3(fillSeconds)},
               {"ok", ok}});
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Chalkroom storage benchmarks (JSON lines)"));
    parser.addHelpOption();
    parser.addOption({"scenario", "durable_writes, history or all (default).", "name", "all"});
    parser.addOption({"size", "tiny (smoke test) or full (default).", "size", "full"});
    parser.addOption({"messages", "Messages (default: 50000 / 1000000; tiny: 2000 / 10000).", "n"});
    parser.addOption({"writers", "Concurrent writers for durable_writes (default 64).", "c", "64"});
    parser.addOption({"dir", "Folder for the database files (default: a temporary one).", "dir"});
    parser.process(app);

    const QString scenario = parser.value("scenario");
    const bool tiny = parser.value("size") == QLatin1String("tiny");
    QTemporaryDir temp;
    QString dir = parser.value("dir");
    if (dir.isEmpty())
        dir = temp.path();
    QDir().mkpath(dir);
    auto messages = [&](int full, int small) {
        return parser.isSet("messages") ? parser.value("messages").toInt() : tiny ? small : full;
    };
    bool ok = true;
    bool ran = false;
    if (scenario == QLatin1String("durable_writes") || scenario == QLatin1String("all")) {
        ok = durableWrites(dir, messages(50000, 2000), parser.value("writers").toInt()) && ok;
        ran = true;
    }
    if (scenario == QLatin1String("history") || scenario == QLatin1String("all")) {
        ok = history(dir, messages(1000000, 10000)) && ok;
        ran = true;
    }
    if (!ran) {
        std::fprintf(stderr, "unknown scenario %s\n", qPrintable(scenario));
        return 2;
    }
    return ok ? 0 : 1;
}
