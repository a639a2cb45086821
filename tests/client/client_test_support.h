// Test helpers for the client core: an in-process ChatServer whose storage survives a
// restart (two servers in turn share one MemoryStorage), and a TCP proxy that can freeze or
// cut a link, to fake a dead server or a lost acknowledgement over real sockets.
#pragma once

#include "client/chat_client.h"
#include "forwarding_storage.h"
#include "server/chat_server.h"
#include "server/storage/memory_storage.h"

#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <memory>

namespace chalk::test {

// A ChatServer that can be stopped and started again on the same port with the same data.
class ServerHost {
public:
    ServerHost()
        : storage(std::make_shared<server::MemoryStorage>())
    {}
    ~ServerHost() { stop(); }

    bool start(quint16 port = 0);
    void stop();
    // A new, empty database (a server that does not know our token any more).
    void replaceStorage() { storage = std::make_shared<server::MemoryStorage>(); }
    bool running() const { return bool(server); }
    QUrl url() const;
    quint16 port() const { return m_port; }

    // How often a body occurs in a room's stored history (reads the storage directly).
    int countStored(const QString &roomUuid, const QString &body);
    QList<protocol::Message> history(const QString &roomUuid);

    std::shared_ptr<server::MemoryStorage> storage;
    std::unique_ptr<server::ChatServer> server;
    server::ServerOptions options;

private:
    quint16 m_port = 0;
};

// Forwards TCP both ways between clients and a target port; can freeze (stop forwarding,
// keep the connections: a dead peer) or drop what the server sends (lost answers).
class TcpProxy : public QObject {
    Q_OBJECT
public:
    explicit TcpProxy(quint16 targetPort, QObject *parent = nullptr);
    ~TcpProxy() override;

    QUrl url() const;
    void setTargetPort(quint16 port) { m_target = port; }
    // Stops forwarding on the current connections (new ones work normally).
    void freezeCurrent();
    // Bytes the frozen connections got from their clients and hold back (a ping that reached
    // the hung server, which will never answer it).
    qint64 heldFromClients() const;
    // Discards what the server sends on the current connections.
    void dropDownstream(bool drop) { m_dropDown = drop; }
    // Aborts every connection at once, both sides.
    void cutAll();
    int connectionCount() const { return int(m_pairs.size()); }
    int acceptedCount() const { return m_accepted; }

private:
    struct Pair {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        bool frozen = false;
    };
    void onNewConnection();
    void forward(Pair *pair, bool fromClient);
    void closePair(Pair *pair);

    QTcpServer m_server;
    quint16 m_target;
    bool m_dropDown = false;
    int m_accepted = 0;
    QList<Pair *> m_pairs;
};

client::ClientOptions fastOptions();

} // namespace chalk::test
