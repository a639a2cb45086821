// The account calls of server::Storage, forwarded unchanged to an inner storage: the test
// storages (FailingStorage, GatedStorage, SlowStorage, SharedStorage) change how rooms,
// messages and boards are stored, not accounts. One line in each instead of eight methods.
#pragma once

#include "server/storage/storage.h"

#define CHALK_FORWARD_ACCOUNT_CALLS(inner)                                                         \
    QCoro::Task<server::AccountCreated> createAccount(protocol::User user, QString loginName,      \
                                                      QByteArray passwordHash,                     \
                                                      QByteArray tokenHash) override               \
    {                                                                                              \
        return inner->createAccount(std::move(user), std::move(loginName),                         \
                                    std::move(passwordHash), std::move(tokenHash));                \
    }                                                                                              \
    QCoro::Task<server::AccountLookup> accountByName(QString loginName) override                   \
    {                                                                                              \
        return inner->accountByName(std::move(loginName));                                         \
    }                                                                                              \
    QCoro::Task<server::AccountLookup> accountOf(QString userUuid) override                        \
    {                                                                                              \
        return inner->accountOf(std::move(userUuid));                                              \
    }                                                                                              \
    QCoro::Task<bool> updateUser(protocol::User user) override                                     \
    {                                                                                              \
        return inner->updateUser(std::move(user));                                                 \
    }                                                                                              \
    QCoro::Task<bool> addToken(QString userUuid, QByteArray tokenHash) override                    \
    {                                                                                              \
        return inner->addToken(std::move(userUuid), std::move(tokenHash));                         \
    }                                                                                              \
    QCoro::Task<bool> revokeToken(QByteArray tokenHash) override                                   \
    {                                                                                              \
        return inner->revokeToken(std::move(tokenHash));                                           \
    }                                                                                              \
    QCoro::Task<bool> changePassword(QString userUuid, QByteArray passwordHash,                    \
                                     QByteArray keepTokenHash) override                            \
    {                                                                                              \
        return inner->changePassword(std::move(userUuid), std::move(passwordHash),                 \
                                     std::move(keepTokenHash));                                    \
    }                                                                                              \
    QCoro::Task<std::optional<QString>> registeredNameOwner(QString name, QString exceptUuid)      \
        override                                                                                   \
    {                                                                                              \
        return inner->registeredNameOwner(std::move(name), std::move(exceptUuid));                 \
    }
