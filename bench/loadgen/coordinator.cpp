#include "coordinator.h"

#include "login_driver.h"
#include "percentiles.h"
#include "worker.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#ifdef CHALK_LOADGEN_EPOLL
#include "server/epoll_event_dispatcher.h"
#endif
#include <algorithm>
#include <cstdio>
#include <memory>

namespace chalk::bench {

namespace {

QJsonValue median(std::vector<double> v)
{
    if (v.empty())
        return QJsonValue::Null;
    std::sort(v.begin(), v.end());
    return round3(v[v.size() / 2]);
}

QThread *newLoadThread(const QString &name)
{
    auto *thread = new QThread;
    thread->setObjectName(name);
#ifdef CHALK_LOADGEN_EPOLL
    // The generator must not be what is measured: with hundreds of sockets per thread,
    // Qt's Unix dispatcher polls all of them on every wake-up. CHALK_EVENT_DISPATCHER=qt
    // keeps Qt's (as for the server).
    if (qgetenv("CHALK_EVENT_DISPATCHER") != "qt")
        thread->setEventDispatcher(new chalk::server::EpollEventDispatcher);
#endif
    return thread;
}

} // namespace

Coordinator::Coordinator(LoadConfig config)
    : m_config(std::move(config))
{
    // Board mode is sequential by nature: one worker holds the drawer and the joiners.
    const int k =
        m_config.mode == Mode::Board ? 1 : std::clamp(m_config.threads, 1, m_config.clients);
    for (int i = 0; i < k; ++i) {
        QThread *thread = newLoadThread(QStringLiteral("loadgen-%1").arg(i));
        auto *worker = new Worker(i, m_config, &m_counters);
        worker->moveToThread(thread);
        thread->start();
        m_threads.push_back(thread);
        m_threadCount = k;
        m_workers.push_back(worker);
    }
    if (m_config.mode == Mode::Fanout && m_config.loginRate > 0) {
        m_loginThread = newLoadThread(QStringLiteral("loadgen-logins"));
        m_logins = new LoginDriver(m_config);
        m_logins->moveToThread(m_loginThread);
        m_loginThread->start();
    }
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { finish(true); });
    m_poller.setInterval(10);
    connect(&m_poller, &QTimer::timeout, this, &Coordinator::poll);
}

Coordinator::~Coordinator()
{
    stopWorkers();
    delete m_logins;
}

void Coordinator::inWorker(QObject *w, std::function<void()> f)
{
    QMetaObject::invokeMethod(w, std::move(f), Qt::QueuedConnection);
}

void Coordinator::onWorkers(
    const std::function<void(Worker *, std::function<void(int, int)>)> &step,
    std::function<void(int, int)> done)
{
    struct Tally {
        size_t left;
        int ok = 0;
        int failed = 0;
        std::function<void(int, int)> done;
    };
    auto tally = std::make_shared<Tally>(Tally{m_workers.size(), 0, 0, std::move(done)});
    for (Worker *w : m_workers) {
        inWorker(w, [this, w, step, tally] {
            step(w, [this, tally](int ok, int failed) {
                QMetaObject::invokeMethod(
                    this,
                    [this, tally, ok, failed] {
                        if (m_finished)
                            return;
                        tally->ok += ok;
                        tally->failed += failed;
                        if (--tally->left == 0)
                            tally->done(tally->ok, tally->failed);
                    },
                    Qt::QueuedConnection);
            });
        });
    }
}

void Coordinator::start()
{
    m_clock.start();
    if (m_config.serverPid)
        m_serverBase = sampleProcess(m_config.serverPid);
    m_timeout.start(std::chrono::milliseconds(qint64(m_config.timeoutS * 1000)));
    if (!m_logins) {
        connectClients();
        return;
    }
    // The accounts exist before anything is measured: registering costs a hash each too.
    m_phase = QStringLiteral("register");
    inWorker(m_logins, [this] {
        m_logins->registerAccounts([this](int, int) {
            QMetaObject::invokeMethod(
                this,
                [this] {
                    if (!m_finished)
                        connectClients();
                },
                Qt::QueuedConnection);
        });
    });
}

void Coordinator::connectClients()
{
    m_phase = QStringLiteral("connect");
    const size_t k = m_workers.size();
    onWorkers(
        [this, k](Worker *w, std::function<void(int, int)> done) {
            // Client i lives in worker i % k: senders are spread over the threads too.
            std::vector<int> mine;
            const size_t id =
                size_t(std::find(m_workers.begin(), m_workers.end(), w) - m_workers.begin());
            for (int i = int(id); i < m_config.clients; i += int(k))
                mine.push_back(i);
            w->connectClients(std::move(mine), std::move(done));
        },
        [this](int ok, int failed) { connected(ok, failed); });
}

void Coordinator::connected(int ok, int /*failed*/)
{
    m_connected = ok;
    m_connectS = double(m_clock.nsecsElapsed()) / 1e9;
    if (ok == 0) {
        finish(false);
        return;
    }
    m_poller.start(); // from here on: give up early if every client is gone
    if (m_config.mode == Mode::Idle && !m_config.idleEnter) {
        startIdle();
        return;
    }
    if (!m_config.room.isEmpty()) {
        haveRoom(m_config.room);
        return;
    }
    m_phase = QStringLiteral("create_room");
    Worker *first = m_workers.front();
    inWorker(first, [this, first] {
        first->createRoom([this](QString uuid) {
            QMetaObject::invokeMethod(
                this, [this, uuid] { haveRoom(uuid); }, Qt::QueuedConnection);
        });
    });
}

void Coordinator::haveRoom(const QString &uuid)
{
    if (m_finished)
        return;
    m_room = uuid;
    if (uuid.isEmpty()) {
        finish(false);
        return;
    }
    if (m_config.mode == Mode::Board) {
        m_phase = QStringLiteral("board");
        Worker *w = m_workers.front();
        inWorker(w, [this, w, uuid] {
            w->runBoard(uuid, [this] {
                QMetaObject::invokeMethod(
                    this, [this] { finish(false); }, Qt::QueuedConnection);
            });
        });
        return;
    }
    m_phase = QStringLiteral("enter");
    const qint64 enterStart = m_clock.nsecsElapsed();
    onWorkers([uuid](Worker *w, std::function<void(int, int)> done) { w->enterRoom(uuid, done); },
              [this, enterStart](int ok, int failed) {
                  m_enterS = double(m_clock.nsecsElapsed() - enterStart) / 1e9;
                  entered(ok, failed);
              });
}

void Coordinator::entered(int ok, int /*failed*/)
{
    m_entered = ok;
    if (m_config.mode == Mode::Idle) {
        startIdle();
        return;
    }
    m_phase = QStringLiteral("settle");
    // Logins start with the settle pause, so they run through the whole measured window.
    if (m_logins)
        inWorker(m_logins, [this] { m_logins->start(); });
    QTimer::singleShot(m_config.settleMs, this, [this] {
        if (!m_finished)
            startSending();
    });
}

void Coordinator::startSending()
{
    m_phase = QStringLiteral("send");
    m_serverFrom = m_config.serverPid ? sampleProcess(m_config.serverPid) : ProcSample{};
    m_selfFrom = sampleProcess(0);
    m_sendStartWallNs = wallNs();
    m_sendStartSteadyNs = steadyNs();
    const qint64 startNs = m_sendStartSteadyNs + 5'000'000; // same start for every thread
    for (Worker *w : m_workers)
        inWorker(w, [w, startNs] { w->startSending(startNs); });
}

void Coordinator::poll()
{
    if (m_config.serverPid) {
        const ProcSample now = sampleProcess(m_config.serverPid);
        m_serverRssPeak = std::max(m_serverRssPeak, now.rssKiB);
    }
    if (m_counters.disconnects.load() >= m_connected) {
        m_phase += QStringLiteral(":all_disconnected");
        finish(false);
        return;
    }
    if (m_phase != QLatin1String("send"))
        return;
    const int senders = std::min(m_config.senders, m_connected);
    if (m_counters.sendersDone.load() < senders)
        return;
    if (!m_sendsDoneSteadyNs)
        m_sendsDoneSteadyNs = steadyNs();
    const qint64 accepted = m_counters.sent.load() - m_counters.rejected.load();
    if (m_counters.deliveries.load() >= accepted * m_entered)
        finish(false);
}

void Coordinator::startIdle()
{
    m_phase = QStringLiteral("idle");
    for (Worker *w : m_workers)
        inWorker(w, [w] { w->startPings(); });
    m_serverFrom = m_config.serverPid ? sampleProcess(m_config.serverPid) : ProcSample{};
    m_selfFrom = sampleProcess(0);
    QTimer::singleShot(std::chrono::milliseconds(qint64(m_config.idleS * 1000)), this,
                       [this] { finish(false); });
}

void Coordinator::stopWorkers()
{
    for (size_t i = 0; i < m_threads.size(); ++i) {
        Worker *w = m_workers[i];
        QMetaObject::invokeMethod(
            w, [w] { w->shutdown(); }, Qt::BlockingQueuedConnection);
        m_threads[i]->quit();
        m_threads[i]->wait();
        delete m_threads[i];
    }
    m_threads.clear();
    if (m_loginThread) {
        LoginDriver *d = m_logins;
        QMetaObject::invokeMethod(
            d, [d] { d->stop(); }, Qt::BlockingQueuedConnection);
        m_loginThread->quit();
        m_loginThread->wait();
        delete m_loginThread;
        m_loginThread = nullptr;
    }
}

void Coordinator::finish(bool timedOut)
{
    if (m_finished)
        return;
    m_finished = true;
    m_poller.stop();
    m_timeout.stop();
    const qint64 endSteady = steadyNs();
    const ProcSample serverTo =
        m_config.serverPid ? sampleProcess(m_config.serverPid) : ProcSample{};
    const ProcSample selfTo = sampleProcess(0);
    stopWorkers();

    WorkerResult all;
    qint64 pings = 0;
    qint64 pongs = 0;
    for (Worker *w : m_workers) {
        WorkerResult &r = w->result;
        all.latencyUs.insert(all.latencyUs.end(), r.latencyUs.begin(), r.latencyUs.end());
        std::vector<quint32>().swap(r.latencyUs);
        all.deliveries += r.deliveries;
        all.foreign += r.foreign;
        all.outOfOrder += r.outOfOrder;
        all.errors += r.errors;
        all.rejected += r.rejected;
        all.connectFailures += r.connectFailures;
        all.disconnects += r.disconnects;
        all.lastDeliveryNs = std::max(all.lastDeliveryNs, r.lastDeliveryNs);
        for (auto it = r.errorKinds.cbegin(); it != r.errorKinds.cend(); ++it)
            all.errorKinds[it.key()] += it.value();
        for (auto it = r.received.cbegin(); it != r.received.cend(); ++it) {
            all.received[it.key()].frames += it.value().frames;
            all.received[it.key()].chars += it.value().chars;
        }
        all.joinMs.insert(all.joinMs.end(), r.joinMs.begin(), r.joinMs.end());
        all.enteredMs.insert(all.enteredMs.end(), r.enteredMs.begin(), r.enteredMs.end());
        all.drawingBytes = std::max(all.drawingBytes, r.drawingBytes);
        all.linesReceived = std::max(all.linesReceived, r.linesReceived);
        all.strokesAcked += r.strokesAcked;
        all.drawSeconds = std::max(all.drawSeconds, r.drawSeconds);
        pings += r.pings;
        pongs += r.pongs;
        delete w;
    }
    m_workers.clear();

    QJsonObject out;
    static const char *const modes[] = {"fanout", "idle", "board"};
    out.insert(QStringLiteral("mode"), QLatin1String(modes[int(m_config.mode)]));
    out.insert(QStringLiteral("url"), m_config.url.toString());
    out.insert(QStringLiteral("clients"), m_config.clients);
    out.insert(QStringLiteral("connected"), m_connected);
    out.insert(QStringLiteral("connect_s"), round3(m_connectS));
    out.insert(QStringLiteral("errors"), all.errors);
    QJsonObject kinds;
    for (auto it = all.errorKinds.cbegin(); it != all.errorKinds.cend(); ++it)
        kinds.insert(it.key(), it.value());
    out.insert(QStringLiteral("error_kinds"), kinds);
    QJsonObject received;
    for (auto it = all.received.cbegin(); it != all.received.cend(); ++it)
        received.insert(it.key(), QJsonObject{{QStringLiteral("frames"), it.value().frames},
                                              {QStringLiteral("chars"), it.value().chars}});
    out.insert(QStringLiteral("other_frames"), received);
    out.insert(QStringLiteral("connect_failures"), all.connectFailures);
    out.insert(QStringLiteral("disconnects"), all.disconnects);
    out.insert(QStringLiteral("timed_out"), timedOut);
    out.insert(QStringLiteral("phase"), m_phase); // where the run ended (or gave up)
    out.insert(QStringLiteral("loadgen_cpu_pct"), round3(cpuPercent(m_selfFrom, selfTo)));
    // The machine's load: on a shared 2-core machine a busy neighbour shows up as latency.
    {
        QFile f(QStringLiteral("/proc/loadavg"));
        if (f.open(QIODevice::ReadOnly))
            out.insert(QStringLiteral("loadavg_1m"), f.readLine().split(' ').value(0).toDouble());
    }
    const double selfCpuS = selfTo.cpuSeconds - m_selfFrom.cpuSeconds;
    const double serverCpuS = serverTo.cpuSeconds - m_serverFrom.cpuSeconds;
    out.insert(QStringLiteral("loadgen_cpu_s"), round3(selfCpuS));
    if (m_config.serverPid) {
        out.insert(QStringLiteral("server_cpu_s"), round3(serverCpuS));
        out.insert(QStringLiteral("server_cpu_pct"), round3(cpuPercent(m_serverFrom, serverTo)));
        out.insert(QStringLiteral("server_rss_kib"), serverTo.rssKiB);
        out.insert(QStringLiteral("server_rss_peak_kib"),
                   std::max(m_serverRssPeak, serverTo.rssKiB));
        out.insert(QStringLiteral("server_threads"), serverTo.threads);
    }

    if (m_config.mode == Mode::Fanout) {
        const qint64 sent = m_counters.sent.load();
        const qint64 accepted = sent - all.rejected;
        const qint64 expected = accepted * m_entered;
        std::vector<quint32> &lat = all.latencyUs;
        std::sort(lat.begin(), lat.end());
        double sum = 0;
        for (quint32 v : lat)
            sum += v;
        const double span = all.lastDeliveryNs > m_sendStartWallNs
                                ? double(all.lastDeliveryNs - m_sendStartWallNs) / 1e9
                                : 0;
        const double sendSpan = m_sendsDoneSteadyNs > m_sendStartSteadyNs
                                    ? double(m_sendsDoneSteadyNs - m_sendStartSteadyNs) / 1e9
                                    : double(endSteady - m_sendStartSteadyNs) / 1e9;
        out.insert(QStringLiteral("entered"), m_entered);
        out.insert(QStringLiteral("enter_s"), round3(m_enterS));
        out.insert(QStringLiteral("senders"), m_config.senders);
        out.insert(QStringLiteral("messages_per_sender"), m_config.messages);
        out.insert(QStringLiteral("rate_per_sender"), m_config.rate);
        out.insert(QStringLiteral("inflight"), m_config.inflight);
        out.insert(QStringLiteral("messages_sent"), sent);
        out.insert(QStringLiteral("rejected"), all.rejected);
        out.insert(QStringLiteral("expected_deliveries"), expected);
        out.insert(QStringLiteral("deliveries"), all.deliveries);
        out.insert(QStringLiteral("lost"), std::max<qint64>(0, expected - all.deliveries));
        out.insert(QStringLiteral("out_of_order"), all.outOfOrder);
        out.insert(QStringLiteral("foreign"), all.foreign);
        out.insert(QStringLiteral("duration_s"), round3(span));
        out.insert(QStringLiteral("send_rate"), round3(sendSpan > 0 ? double(sent) / sendSpan : 0));
        out.insert(QStringLiteral("deliveries_per_s"),
                   round3(span > 0 ? double(all.deliveries) / span : 0));
        // CPU time per delivery does not depend on how busy the machine was: the cost figure.
        if (all.deliveries > 0) {
            if (m_config.serverPid)
                out.insert(QStringLiteral("server_cpu_us_per_delivery"),
                           round3(serverCpuS * 1e6 / double(all.deliveries)));
            out.insert(QStringLiteral("loadgen_cpu_us_per_delivery"),
                       round3(selfCpuS * 1e6 / double(all.deliveries)));
        }
        out.insert(QStringLiteral("mean_ms"),
                   round3(lat.empty() ? 0 : sum / double(lat.size()) / 1000));
        out.insert(QStringLiteral("p50_ms"), round3(percentileMs(lat, 0.50)));
        out.insert(QStringLiteral("p90_ms"), round3(percentileMs(lat, 0.90)));
        out.insert(QStringLiteral("p99_ms"), round3(percentileMs(lat, 0.99)));
        out.insert(QStringLiteral("p999_ms"), round3(percentileMs(lat, 0.999)));
        out.insert(QStringLiteral("max_ms"), round3(lat.empty() ? 0 : double(lat.back()) / 1000));
        if (m_config.loginRate >= 0)
            insertLoginFigures(out, m_config, m_logins ? &m_logins->result : nullptr);
    } else if (m_config.mode == Mode::Idle) {
        out.insert(QStringLiteral("entered"), m_entered);
        out.insert(QStringLiteral("idle_s"), m_config.idleS);
        out.insert(QStringLiteral("still_connected"), m_connected - all.disconnects);
        out.insert(QStringLiteral("pings"), pings);
        out.insert(QStringLiteral("pongs"), pongs);
        if (m_config.serverPid && m_connected > 0) {
            // What the connections cost: RSS now less RSS before the first one connected.
            out.insert(QStringLiteral("server_rss_before_kib"), m_serverBase.rssKiB);
            out.insert(QStringLiteral("server_rss_per_connection_kib"),
                       round3(double(serverTo.rssKiB - m_serverBase.rssKiB) / m_connected));
        }
    } else {
        QJsonArray joins;
        for (double v : all.joinMs)
            joins.append(round3(v));
        out.insert(QStringLiteral("strokes"), m_config.strokes);
        out.insert(QStringLiteral("points_per_stroke"), m_config.points);
        out.insert(QStringLiteral("strokes_acked"), all.strokesAcked);
        out.insert(QStringLiteral("draw_s"), round3(all.drawSeconds));
        out.insert(QStringLiteral("strokes_per_s"),
                   round3(all.drawSeconds > 0 ? double(all.strokesAcked) / all.drawSeconds : 0));
        out.insert(QStringLiteral("joins"), joins);
        out.insert(QStringLiteral("join_ms_median"), median(all.joinMs));
        out.insert(QStringLiteral("join_ms_max"),
                   all.joinMs.empty() ? QJsonValue(QJsonValue::Null)
                                      : QJsonValue(round3(*std::max_element(all.joinMs.begin(),
                                                                            all.joinMs.end()))));
        out.insert(QStringLiteral("room_entered_ms_median"), median(all.enteredMs));
        out.insert(QStringLiteral("drawing_chars"), all.drawingBytes);
        out.insert(QStringLiteral("lines_received"), all.linesReceived);
    }
    delete m_logins;
    m_logins = nullptr;
    out.insert(QStringLiteral("threads"), m_threadCount);
    std::fprintf(stdout, "%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    QCoreApplication::exit(m_connected > 0 ? 0 : 1);
}

} // namespace chalk::bench
