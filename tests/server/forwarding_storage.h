// A Storage that hands every call to an inner Storage unchanged: the base of the tests'
// storage decorators (FailingStorage, GatedStorage, SlowStorage), so each overrides only what
// it changes and a new Storage method is forwarded in one place. On its own it lets the client
// tests' ServerHost hand one shared storage to each server it starts.
#pragma once

#include "server/storage/storage.h"

#include <memory>
#include <utility>

namespace chalk::test {

class ForwardingStorage : public server::Storage {
public:
    // Shared, so that a test may keep the inner storage to look into it (a ChatServer owns
    // its storage by unique_ptr, which converts).
    explicit ForwardingStorage(std::shared_ptr<server::Storage> inner)
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
    QCoro::Task<std::optional<server::MessagePage>> listMessages(QString roomUuid, QString before,
                                                                 int limit) override
    {
        return m_inner->listMessages(std::move(roomUuid), std::move(before), limit);
    }
    QCoro::Task<server::MessageLookup> messageByUuid(QString messageUuid) override
    {
        return m_inner->messageByUuid(std::move(messageUuid));
    }
    QCoro::Task<server::ChangedMessage> editMessage(QString messageUuid, QString authorUuid,
                                                    QString body, QDateTime when) override
    {
        return m_inner->editMessage(std::move(messageUuid), std::move(authorUuid), std::move(body),
                                    std::move(when));
    }
    QCoro::Task<server::ChangedMessage> deleteMessage(QString messageUuid,
                                                      QString authorUuid) override
    {
        return m_inner->deleteMessage(std::move(messageUuid), std::move(authorUuid));
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
    QCoro::Task<server::AccountCreated> createAccount(protocol::User user, QString loginName,
                                                      QByteArray passwordHash,
                                                      QByteArray tokenHash) override
    {
        return m_inner->createAccount(std::move(user), std::move(loginName),
                                      std::move(passwordHash), std::move(tokenHash));
    }
    QCoro::Task<server::AccountLookup> accountByName(QString loginName) override
    {
        return m_inner->accountByName(std::move(loginName));
    }
    QCoro::Task<server::AccountLookup> accountOf(QString userUuid) override
    {
        return m_inner->accountOf(std::move(userUuid));
    }
    QCoro::Task<bool> updateUser(protocol::User user) override
    {
        return m_inner->updateUser(std::move(user));
    }
    QCoro::Task<bool> addToken(QString userUuid, QByteArray tokenHash) override
    {
        return m_inner->addToken(std::move(userUuid), std::move(tokenHash));
    }
    QCoro::Task<bool> revokeToken(QByteArray tokenHash) override
    {
        return m_inner->revokeToken(std::move(tokenHash));
    }
    QCoro::Task<bool> changePassword(QString userUuid, QByteArray passwordHash,
                                     QByteArray keepTokenHash) override
    {
        return m_inner->changePassword(std::move(userUuid), std::move(passwordHash),
                                       std::move(keepTokenHash));
    }
    QCoro::Task<bool> setBlocked(QString blocker, QString blocked, bool on) override
    {
        return m_inner->setBlocked(std::move(blocker), std::move(blocked), on);
    }
    QCoro::Task<std::optional<bool>> isBlocked(QString blocker, QString blocked) override
    {
        return m_inner->isBlocked(std::move(blocker), std::move(blocked));
    }
    QCoro::Task<bool> setLastSeen(QString userUuid, QDateTime when) override
    {
        return m_inner->setLastSeen(std::move(userUuid), std::move(when));
    }
    QCoro::Task<std::optional<QHash<QString, QDateTime>>> lastSeenOf(QStringList userUuids) override
    {
        return m_inner->lastSeenOf(std::move(userUuids));
    }
    QCoro::Task<std::optional<server::UserPage>> listUsers(QString query, QString afterUuid,
                                                           int limit) override
    {
        return m_inner->listUsers(std::move(query), std::move(afterUuid), limit);
    }
    QCoro::Task<bool> followRoom(QString userUuid, QString roomUuid) override
    {
        return m_inner->followRoom(std::move(userUuid), std::move(roomUuid));
    }
    QCoro::Task<server::ReadMarked> markRead(QString userUuid, QString roomUuid,
                                             QString messageUuid) override
    {
        return m_inner->markRead(std::move(userUuid), std::move(roomUuid), std::move(messageUuid));
    }
    QCoro::Task<std::optional<QList<server::UnreadCount>>> unreadCounts(QString userUuid,
                                                                        QString roomUuid) override
    {
        return m_inner->unreadCounts(std::move(userUuid), std::move(roomUuid));
    }
    QCoro::Task<std::optional<QString>> registeredNameOwner(QString name,
                                                            QString exceptUuid) override
    {
        return m_inner->registeredNameOwner(std::move(name), std::move(exceptUuid));
    }

protected:
    server::Storage &inner() const { return *m_inner; }

private:
    std::shared_ptr<server::Storage> m_inner;
};

} // namespace chalk::test
