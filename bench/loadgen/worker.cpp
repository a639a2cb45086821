#include "worker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUuid>
#include <chrono>

namespace chalk::bench {

qint64 wallNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

namespace {

QByteArray callFrame(const char *name, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("message"), QLatin1String(name));
    const QJsonObject root{{QStringLiteral("type"), QStringLiteral("call")},
                           {QStringLiteral("payload"), fields}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

// Reads the digits at `at` in `s`; advances `at` past them.
qint64 digitsAt(QByteArrayView s, qsizetype &at, bool &ok)
{
    qint64 v = 0;
    const qsizetype start = at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
        v = v * 10 + (s[at] - '0');
        ++at;
    }
    ok = ok && at > start;
    return v;
}

// The frame's length in UTF-16 code units, as QWebSocket's QString had it, so the
// "chars" tallies keep their meaning: one per UTF-8 lead byte, two for 4-byte sequences.
qsizetype utf16Length(QByteArrayView utf8)
{
    qsizetype n = 0;
    for (const char ch : utf8) {
        const auto b = uchar(ch);
        n += (b & 0xc0) != 0x80;
        n += b >= 0xf0;
    }
    return n;
}

} // namespace

// ---- BenchClient --------------------------------------------------------------------------

BenchClient::BenchClient(int index, Worker *worker)
    : index(index)
    , m_worker(worker)
{
    connect(&socket, &RawWsClient::textReceived, this, &BenchClient::onText);
    connect(&socket, &RawWsClient::disconnected, this,
            [this] { m_worker->clientFailed(this, QStringLiteral("disconnected")); });
    connect(&socket, &RawWsClient::failed, this,
            [this](const QString &kind) { m_worker->clientFailed(this, kind); });
}

void BenchClient::open(const QUrl &url)
{
    socket.open(url);
}

void BenchClient::send(QByteArrayView utf8)
{
    socket.sendText(utf8);
}

void BenchClient::onText(const QByteArray &utf8)
{
    // Hot path: a message_created is recognised and its timestamp read in the UTF-8 bytes,
    // with no QString and no JSON parse, so the generator spends its time on sockets.
    const QByteArrayView text(utf8);
    if (text.contains("\"message_created\"")) {
        static constexpr QByteArrayView marker("\"body\":\"t=");
        qsizetype at = text.indexOf(marker);
        if (at >= 0) {
            at += marker.size();
            bool ok = true;
            const qint64 t = digitsAt(text, at, ok);
            ok = ok && text.sliced(at).startsWith(";s=");
            at += 3;
            const qint64 s = digitsAt(text, at, ok);
            ok = ok && text.sliced(std::min(at, text.size())).startsWith(";n=");
            at += 3;
            const qint64 n = digitsAt(text, at, ok);
            if (ok) {
                m_worker->delivery(this, int(s), int(n), t);
                return;
            }
        }
        m_worker->frame(this, QStringLiteral("result"), QStringLiteral("message_created"), {},
                        utf16Length(text));
        return;
    }
    // room_changed carries the whole member list and may come often: counted, not parsed.
    if (text.contains("\"room_changed\"")) {
        m_worker->frame(this, QStringLiteral("result"), QStringLiteral("room_changed"), {},
                        utf16Length(text));
        return;
    }
    const QJsonObject root = QJsonDocument::fromJson(utf8).object();
    const QJsonObject payload = root.value(QLatin1String("payload")).toObject();
    m_worker->frame(this, root.value(QLatin1String("type")).toString(),
                    payload.value(QLatin1String("message")).toString(), payload, utf16Length(text));
}

// ---- Worker --------------------------------------------------------------------------------

Worker::Worker(int id, const LoadConfig &config, SharedCounters *counters)
    : m_id(id)
    , m_config(config)
    , m_counters(counters)
    , m_padding(config.bodyPad, 'x')
{}

Worker::~Worker()
{
    shutdown();
}

void Worker::connectClients(std::vector<int> indexes, std::function<void(int, int)> done)
{
    m_connectDone = std::move(done);
    const int senders = m_config.mode == Mode::Fanout ? m_config.senders : 0;
    const size_t count = indexes.size();
    for (const int index : indexes) {
        auto *c = new BenchClient(index, this);
        c->lastSeq.assign(size_t(senders), -1);
        m_clients.push_back(c);
        if (c->index < senders) {
            c->pacer = new QTimer(c);
            c->pacer->setSingleShot(true);
            c->pacer->setTimerType(Qt::PreciseTimer);
            connect(c->pacer, &QTimer::timeout, this, [this, c] { pump(c); });
            m_senders.push_back(c);
        }
    }
    size_t expected = 0;
    if (m_config.mode == Mode::Fanout)
        expected = size_t(m_config.senders) * size_t(m_config.messages) * size_t(count);
    result.latencyUs.reserve(std::min<size_t>(expected, 50'000'000));
    openMore();
    checkConnected();
}

void Worker::openMore()
{
    while (m_connecting < m_config.pendingConnects && m_nextToOpen < qsizetype(m_clients.size())) {
        BenchClient *c = m_clients[size_t(m_nextToOpen++)];
        ++m_connecting;
        c->open(m_config.url);
    }
}

void Worker::checkConnected()
{
    if (!m_connectDone || m_nextToOpen < qsizetype(m_clients.size()) || m_connecting > 0)
        return;
    int ok = 0;
    int failed = 0;
    for (const BenchClient *c : m_clients)
        (c->ready && !c->failed) ? ++ok : ++failed;
    std::exchange(m_connectDone, {})(ok, failed);
}

void Worker::clientReady(BenchClient *c)
{
    c->ready = true;
    --m_connecting;
    openMore();
    checkConnected();
}

void Worker::clientFailed(BenchClient *c, const QString &why)
{
    if (c->failed)
        return;
    c->failed = true;
    if (c->pacer)
        c->pacer->stop();
    if (!c->ready) {
        ++result.connectFailures;
        error(QStringLiteral("connect_") + why);
        --m_connecting;
        openMore();
        checkConnected();
    } else {
        ++result.disconnects;
        m_counters->disconnects.fetch_add(1, std::memory_order_relaxed);
        // Who closed, and why: a close code from the server, or a socket error here.
        error(QStringLiteral("disconnect_%1_%2_%3")
                  .arg(c->socket.closeCode())
                  .arg(c->socket.closeReason().left(40))
                  .arg(c->socket.socketError() == QAbstractSocket::UnknownSocketError
                           ? QStringLiteral("no_socket_error")
                           : QString::number(int(c->socket.socketError()))));
        if (c->entering && !c->entered)
            checkEntered();
        if (c->index < m_config.senders && c->sent < m_config.messages)
            m_counters->sendersDone.fetch_add(1, std::memory_order_relaxed); // it never will
    }
}

void Worker::error(const QString &kind)
{
    ++result.errors;
    result.errorKinds[kind] += 1;
    m_counters->errors.fetch_add(1, std::memory_order_relaxed);
}

void Worker::createRoom(std::function<void(QString)> done)
{
    m_roomDone = std::move(done);
    BenchClient *c = m_clients.empty() ? nullptr : m_clients.front();
    if (!c || c->failed) {
        std::exchange(m_roomDone, {})(QString());
        return;
    }
    m_waitingRoom = true;
    c->send(callFrame("create_room"));
}

void Worker::enterRoom(QString uuid, std::function<void(int, int)> done)
{
    m_enterDone = std::move(done);
    const QByteArray f = callFrame("enter_room", {{QStringLiteral("uuid"), uuid}});
    for (BenchClient *c : m_clients) {
        if (c->ready && !c->failed) {
            c->entering = true;
            c->send(f);
        }
    }
    checkEntered();
}

void Worker::checkEntered()
{
    if (!m_enterDone)
        return;
    int ok = 0;
    int failed = 0;
    for (const BenchClient *c : m_clients) {
        if (c->entering && !c->entered && !c->failed)
            return; // still waiting for this one
        (c->entered && !c->failed) ? ++ok : ++failed;
    }
    std::exchange(m_enterDone, {})(ok, failed);
}

void Worker::startSending(qint64 startNs)
{
    m_startNs = startNs;
    const int s = std::max(1, m_config.senders);
    const qint64 period = m_config.rate > 0 ? qint64(1e9 / m_config.rate) : 0;
    for (BenchClient *c : m_senders) {
        // Senders are spread over one period so their messages do not come in bursts.
        c->nextDueNs = startNs + period * c->index / s;
        if (c->failed)
            continue;
        pump(c);
    }
}

void Worker::pump(BenchClient *c)
{
    if (c->failed || c->sent >= m_config.messages)
        return;
    const qint64 period = m_config.rate > 0 ? qint64(1e9 / m_config.rate) : 0;
    while (c->sent < m_config.messages && c->inflight < m_config.inflight) {
        if (period > 0) {
            const qint64 now = steadyNs();
            if (now < c->nextDueNs) {
                if (!c->pacer->isActive()) {
                    const qint64 waitMs = (c->nextDueNs - now + 999'999) / 1'000'000;
                    c->pacer->start(std::chrono::milliseconds(waitMs));
                }
                return;
            }
            c->nextDueNs += period;
        }
        sendMessage(c);
    }
}

void Worker::sendMessage(BenchClient *c)
{
    QByteArray f;
    f.reserve(96 + m_padding.size());
    f += "{\"type\":\"call\",\"payload\":{\"message\":\"create_message\",\"body\":\"t=";
    f += QByteArray::number(wallNs());
    f += ";s=";
    f += QByteArray::number(c->index);
    f += ";n=";
    f += QByteArray::number(c->sent);
    f += m_padding;
    f += "\"}}";
    c->send(f);
    ++c->sent;
    ++c->inflight;
    m_counters->sent.fetch_add(1, std::memory_order_relaxed);
    if (c->sent == m_config.messages)
        m_counters->sendersDone.fetch_add(1, std::memory_order_relaxed);
}

void Worker::delivery(BenchClient *c, int sender, int seq, qint64 sentNs)
{
    const qint64 now = wallNs();
    const qint64 us = std::max<qint64>(0, (now - sentNs) / 1000);
    result.latencyUs.push_back(quint32(std::min<qint64>(us, 0xffffffffLL)));
    ++result.deliveries;
    result.lastDeliveryNs = now;
    m_counters->deliveries.fetch_add(1, std::memory_order_relaxed);
    if (sender >= 0 && size_t(sender) < c->lastSeq.size()) {
        if (seq <= c->lastSeq[size_t(sender)])
            ++result.outOfOrder;
        else
            c->lastSeq[size_t(sender)] = seq;
    } else {
        ++result.foreign;
    }
    if (sender == c->index && c->inflight > 0) {
        --c->inflight;
        pump(c);
    }
}

void Worker::frame(BenchClient *c, const QString &type, const QString &name,
                   const QJsonObject &payload, qsizetype chars)
{
    // What else the server sent, and how much of it: the figures that explain a slow fan-out.
    FrameTally &tally = result.received[name.isEmpty() ? QStringLiteral("?") : name];
    ++tally.frames;
    tally.chars += chars;
    if (type == QLatin1String("error")) {
        error(name.isEmpty() ? QStringLiteral("error") : name);
        if (c->entering && !c->entered) {
            c->entering = false;
            checkEntered();
        }
        if (c->pacer && c->inflight > 0) {
            // A refused message answers its call: it frees the window, and is never delivered.
            --c->inflight;
            ++result.rejected;
            m_counters->rejected.fetch_add(1, std::memory_order_relaxed);
            pump(c);
        }
        if (m_config.mode == Mode::Board && c == m_clients.front() && m_strokesInflight > 0) {
            --m_strokesInflight;
            drawMore();
        }
        return;
    }
    if (name == QLatin1String("message_created")) {
        ++result.foreign;
        return;
    }
    if (name == QLatin1String("user_created") || name == QLatin1String("rooms_listed")) {
        if (name == QLatin1String("user_created")) {
            c->gotUser = true;
            c->userUuid = payload.value(QLatin1String("object"))
                              .toObject()
                              .value(QLatin1String("uuid"))
                              .toString();
        } else {
            c->gotRooms = true;
        }
        if (c->gotUser && c->gotRooms && !c->ready && !c->failed)
            clientReady(c);
        return;
    }
    if (name == QLatin1String("room_created")) {
        if (m_waitingRoom && c == m_clients.front()) {
            m_waitingRoom = false;
            const QString uuid = payload.value(QLatin1String("object"))
                                     .toObject()
                                     .value(QLatin1String("uuid"))
                                     .toString();
            std::exchange(m_roomDone, {})(uuid);
        }
        return;
    }
    if (name == QLatin1String("room_entered")) {
        if (c->entering && !c->entered) {
            c->entered = true;
            if (m_config.mode == Mode::Board && !m_boardRoom.isEmpty()) {
                if (c == m_clients.front()) {
                    m_drawStartNs = steadyNs();
                    drawMore();
                } else {
                    result.enteredMs.push_back(double(steadyNs() - m_joinStartNs) / 1e6);
                }
            }
            checkEntered();
        }
        return;
    }
    if (name == QLatin1String("drawing_got")) {
        if (m_config.mode == Mode::Board && c != m_clients.front() && c->entered &&
            m_joiner < int(m_clients.size()) && c == m_clients[size_t(m_joiner)]) {
            result.joinMs.push_back(double(steadyNs() - m_joinStartNs) / 1e6);
            result.drawingBytes = chars;
            result.linesReceived = payload.value(QLatin1String("object"))
                                       .toObject()
                                       .value(QLatin1String("lines"))
                                       .toArray()
                                       .size();
            ++m_joiner;
            nextJoin();
        }
        return;
    }
    if (name == QLatin1String("draw_line_changed")) {
        if (m_config.mode == Mode::Board && c == m_clients.front() && m_strokesInflight > 0) {
            --m_strokesInflight;
            ++result.strokesAcked;
            drawMore();
        }
        return;
    }
}

// ---- board: one drawer fills the board, then late joiners enter one after the other -------

void Worker::runBoard(QString uuid, std::function<void()> done)
{
    m_boardDone = std::move(done);
    m_boardRoom = uuid;
    BenchClient *drawer = m_clients.front();
    if (drawer->failed) {
        std::exchange(m_boardDone, {})();
        return;
    }
    drawer->entering = true;
    drawer->send(callFrame("enter_room", {{QStringLiteral("uuid"), uuid}}));
}

void Worker::drawMore()
{
    BenchClient *drawer = m_clients.front();
    auto *rng = QRandomGenerator::global();
    while (!drawer->failed && m_strokesSent < m_config.strokes &&
           m_strokesInflight < m_config.inflight) {
        QJsonArray points;
        double x = rng->bounded(1280.0);
        double y = rng->bounded(720.0);
        for (int i = 0; i < m_config.points; ++i) {
            x = std::clamp(x + rng->bounded(20.0) - 10, 0.0, 1280.0);
            y = std::clamp(y + rng->bounded(20.0) - 10, 0.0, 720.0);
            points.append(std::round(x * 10) / 10);
            points.append(std::round(y * 10) / 10);
        }
        drawer->send(
            callFrame("change_draw_line",
                      {{QStringLiteral("uuid"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                       {QStringLiteral("points"), points},
                       {QStringLiteral("color"), QStringLiteral("#336699")},
                       {QStringLiteral("tool"), QStringLiteral("pen")}}));
        ++m_strokesSent;
        ++m_strokesInflight;
    }
    if (m_strokesSent >= m_config.strokes && m_strokesInflight == 0 && m_joiner == 0) {
        result.drawSeconds = double(steadyNs() - m_drawStartNs) / 1e9;
        m_joiner = 1;
        nextJoin();
    }
}

void Worker::nextJoin()
{
    while (m_joiner < int(m_clients.size()) && m_clients[size_t(m_joiner)]->failed)
        ++m_joiner;
    if (m_joiner >= int(m_clients.size())) {
        if (m_boardDone)
            std::exchange(m_boardDone, {})();
        return;
    }
    BenchClient *c = m_clients[size_t(m_joiner)];
    c->entering = true;
    m_joinStartNs = steadyNs();
    c->send(callFrame("enter_room", {{QStringLiteral("uuid"), m_boardRoom}}));
}

void Worker::startPings()
{
    if (m_config.pingIntervalS <= 0 || m_clients.empty())
        return;
    m_pinger = new QTimer(this);
    const double everyMs = m_config.pingIntervalS * 1000.0 / double(m_clients.size());
    // One tick pings as many clients as are due, so 10 000 clients need no 10 000 timers.
    // At most 50 ticks/s per worker: a wakeup costs O(sockets) in Qt's poll() dispatcher,
    // here as in the server, so one ping per wakeup would starve the generator itself.
    const int tickMs = std::max(20, int(everyMs));
    const int perTick = std::max(1, int(std::lround(tickMs / everyMs)));
    connect(m_pinger, &QTimer::timeout, this, [this, perTick] {
        for (int i = 0; i < perTick; ++i) {
            BenchClient *c = m_clients[m_nextPing++ % m_clients.size()];
            if (!c->failed) {
                c->socket.ping();
                ++result.pings;
            }
        }
    });
    for (BenchClient *c : m_clients)
        connect(&c->socket, &RawWsClient::pong, this, [this] { ++result.pongs; });
    m_pinger->start(tickMs);
}

void Worker::shutdown()
{
    if (m_pinger)
        m_pinger->stop();
    for (BenchClient *c : m_clients) {
        c->failed = true; // no more callbacks count as disconnects
        if (c->pacer)
            c->pacer->stop();
        c->socket.disconnect(c);
        c->socket.abort();
        delete c;
    }
    m_clients.clear();
    m_senders.clear();
}

} // namespace chalk::bench
