#include "client_test_support.h"

#include <QCoroTask>
#include <QHostAddress>

namespace chalk::test {

bool ServerHost::start(quint16 port)
{
    stop();
    server::ServerOptions opts = options;
    opts.port = port;
    // Each server gets a forwarder to the one storage, which outlives it.
    server =
        std::make_unique<server::ChatServer>(std::make_unique<ForwardingStorage>(storage), opts);
    if (!QCoro::waitFor(server->start())) {
        qWarning() << "server did not start:" << server->errorString();
        server.reset();
        return false;
    }
    m_port = server->port();
    return true;
}

void ServerHost::stop()
{
    if (!server)
        return;
    QCoro::waitFor(server->stop());
    server.reset();
}

QUrl ServerHost::url() const
{
    QUrl u;
    u.setScheme(QStringLiteral("ws"));
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(m_port);
    return u;
}

QList<protocol::Message> ServerHost::history(const QString &roomUuid)
{
    QList<protocol::Message> all;
    QString before;
    for (;;) {
        const auto page = QCoro::waitFor(storage->listMessages(roomUuid, before, 200));
        if (!page)
            break;
        all = page->messages + all;
        if (!page->hasMore || page->messages.isEmpty())
            break;
        before = page->messages.first().uuid;
    }
    return all;
}

int ServerHost::countStored(const QString &roomUuid, const QString &body)
{
    int n = 0;
    for (const protocol::Message &m : history(roomUuid))
        n += m.body == body ? 1 : 0;
    return n;
}

TcpProxy::TcpProxy(quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_target(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
    m_server.listen(QHostAddress::LocalHost, 0);
}

TcpProxy::~TcpProxy()
{
    const auto pairs = m_pairs;
    m_pairs.clear();
    for (Pair *p : pairs) {
        for (QTcpSocket *s : {p->client.data(), p->upstream.data()}) {
            if (s) {
                s->disconnect(this);
                s->abort();
            }
        }
        delete p;
    }
}

QUrl TcpProxy::url() const
{
    QUrl u;
    u.setScheme(QStringLiteral("ws"));
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(m_server.serverPort());
    return u;
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket *c = m_server.nextPendingConnection()) {
        ++m_accepted;
        auto *pair = new Pair;
        pair->client = c;
        pair->upstream = new QTcpSocket(this);
        m_pairs.append(pair);
        connect(c, &QTcpSocket::readyRead, this, [this, pair] { forward(pair, true); });
        connect(pair->upstream, &QTcpSocket::readyRead, this,
                [this, pair] { forward(pair, false); });
        connect(c, &QTcpSocket::disconnected, this, [this, pair] { closePair(pair); });
        connect(pair->upstream, &QTcpSocket::disconnected, this, [this, pair] { closePair(pair); });
        connect(pair->upstream, &QTcpSocket::connected, this,
                [this, pair] { forward(pair, true); });
        pair->upstream->connectToHost(QHostAddress::LocalHost, m_target);
    }
}

void TcpProxy::forward(Pair *pair, bool fromClient)
{
    if (!m_pairs.contains(pair) || pair->frozen || !pair->client || !pair->upstream)
        return; // frozen: bytes stay in the kernel buffers, as with a hung peer
    if (fromClient) {
        if (pair->upstream->state() != QAbstractSocket::ConnectedState)
            return; // forwarded once connected
        pair->upstream->write(pair->client->readAll());
    } else {
        const QByteArray data = pair->upstream->readAll();
        if (!m_dropDown)
            pair->client->write(data);
    }
}

void TcpProxy::closePair(Pair *pair)
{
    if (!m_pairs.removeOne(pair))
        return;
    if (pair->client) {
        pair->client->disconnect(this);
        pair->client->abort();
        pair->client->deleteLater();
    }
    if (pair->upstream) {
        pair->upstream->disconnect(this);
        pair->upstream->abort();
        pair->upstream->deleteLater();
    }
    delete pair;
}

void TcpProxy::freezeCurrent()
{
    for (Pair *p : std::as_const(m_pairs))
        p->frozen = true;
}

qint64 TcpProxy::heldFromClients() const
{
    qint64 held = 0;
    for (const Pair *p : m_pairs) {
        if (p->frozen && p->client)
            held += p->client->bytesAvailable();
    }
    return held;
}

void TcpProxy::cutAll()
{
    const auto pairs = m_pairs;
    for (Pair *p : pairs)
        closePair(p);
}

client::ClientOptions fastOptions()
{
    using namespace std::chrono_literals;
    client::ClientOptions o;
    o.backoffMin = 50ms;
    o.backoffMax = 400ms;
    o.retryDelay = 200ms;
    return o;
}

} // namespace chalk::test
