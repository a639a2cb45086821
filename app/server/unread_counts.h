// The unread counts of the users who are online, per room they follow, kept in step with each
// stored message so that rooms_listed and room_changed carry them without asking storage.
// Storage (read markers + messages) is the truth: a user's counts are read from it when one
// of its connections takes that identity and after each mark_read. Not for the markers
// themselves (Storage) nor for sending anything (CallHandlers, RoomRegistry).
#pragma once

#include "storage/storage.h"

#include <QCoroTask>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

namespace chalk::server {

class UnreadCounts {
public:
    explicit UnreadCounts(Storage &storage)
        : m_storage(storage)
    {}

    // A connection holds the user's counts (attach before refresh, detach when it is no longer
    // that user or closes); the last one to let go drops them.
    void attach(const QString &user);
    void detach(const QString &user);

    // Reads the user's counts from storage into what is held (nothing if not attached): of
    // every room it follows, or only of `room`. Exact while messages arrive meanwhile: those
    // the read did not see are added on top. False when storage failed (the counts held stay).
    QCoro::Task<bool> refresh(QString user, QString room = {});

    // A message stored in `room`: one more for every follower online but its author.
    void messageStored(const QString &room, qint64 seq, const QString &author);
    // The online followers of `room` but `except` with something unread there: those whose
    // count a deleted message may have been part of.
    QStringList countingFollowers(const QString &room, const QString &except) const;
    // The user follows `room` from now on, nothing unread yet (a room entered the first
    // time, a new direct conversation); storage is told by the caller.
    void follow(const QString &user, const QString &room);
    bool follows(const QString &user, const QString &room) const;
    // Whether the user follows any room (its rooms_listed then differs from a new user's).
    bool followsAny(const QString &user) const;
    void roomDeleted(const QString &room);

    // The count of `room` for `user`; none for a room it does not follow.
    std::optional<qint64> count(const QString &user, const QString &room) const;
    // How many users' counts are held (tests, leaks).
    qsizetype heldUsers() const { return m_users.size(); }

private:
    struct Seen {
        QString room;
        qint64 seq;
    };
    struct Count {
        qint64 unread = 0;
        quint64 readBy = 0; // the read this count came from (0: followed in memory)
    };
    struct Entry {
        int holders = 0;
        QHash<QString, Count> rooms; // the rooms it follows, by uuid
        // Reads in flight: messages counted meanwhile are kept, to add those a read missed.
        int refreshing = 0;
        QList<Seen> seen;
        quint64 issued = 0; // reads started, numbered in the order storage runs them
    };

    Storage &m_storage;
    QHash<QString, std::shared_ptr<Entry>> m_users;
    QHash<QString, QSet<QString>> m_followers; // room uuid -> users online who follow it
    QSet<QString> m_refreshing;                // users with a read in flight
};

} // namespace chalk::server
