// Test helpers for the client core: an in-process ChatServer whose storage survives a
// restart (two servers in turn share one MemoryStorage), and a TCP proxy that can freeze or
// cut a link, to fake a dead server or a lost acknowledgement over real sockets.
#pragma once

#include "client/chat_client.h"
#include "forward_account_calls.h"
#include "server/chat_server.h"
#include "server/storage/memory_storage.h"

#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <memory>

namespace chalk::test {

// Forwards every call to one shared Storage (a ChatServer owns its storage by unique_ptr).
class SharedStorage final : public server::Storage {
public:
    explicit SharedStorage(std::shared_ptr<server::Storage> inner)
        : m_inner(std::move(inner))
    {}
    QCoro::Task<bool> open() override { return m_inner->open(); }
    QCoro::Task<void> flush() override { return m_inner->flush(); }
    QString lastError() const override { return m_inner->lastError(); }
    QString describe() const override { return m_inner->describe(); }
    QCoro::Task<std::optional<QList<protocol::Room>>> listRooms() override
    {
        return m_inner->listRooms();
    }
    QCoro::Task<bool> createRoom(protocol::Room room) override
    {
        return m_inner->createRoom(std::move(room));
    }
    QCoro::Task<bool> updateRoom(protocol::Room room) override
    {
        return m_inner->updateRoom(std::move(room));
    }
    QCoro::Task<bool> deleteRoom(QString roomUuid) override
    {
        return m_inner->deleteRoom(std::move(roomUuid));
    }
    QCoro::Task<std::optional<server::StoredMessage>> addMessage(protocol::Message m) override
    {
        return m_inner->addMessage(std::move(m));
    }
    QCoro::Task<std::optional<server::MessagePage>>
    listMessages(QString roomUuid, QString beforeUuid, int limit) override
    {
        return m_inner->listMessages(std::move(roomUuid), std::move(beforeUuid), limit);
    }
    QCoro::Task<std::optional<QList<protocol::Line>>> lines(QString roomUuid) override
    {
        return m_inner->lines(std::move(roomUuid));
    }
    QCoro::Task<bool> upsertLine(QString roomUuid, protocol::Line line) override
    {
        return m_inner->upsertLine(std::move(roomUuid), std::move(line));
    }
    QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) override
    {
        return m_inner->removeLine(std::move(roomUuid), std::move(lineUuid));
    }
    QCoro::Task<bool> resetDrawing(QString roomUuid) override
    {
        return m_inner->resetDrawing(std::move(roomUuid));
    }
    QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) override
    {
        return m_inner->saveUser(std::move(user), std::move(tokenHash));
    }
    QCoro::Task<std::optional<protocol::User>> userByTokenHash(QByteArray tokenHash) override
    {
        return m_inner->userByTokenHash(std::move(tokenHash));
    }
    CHALK_FORWARD_ACCOUNT_CALLS(m_inner)

private:
    std::shared_ptr<server::Storage> m_inner;
};

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
