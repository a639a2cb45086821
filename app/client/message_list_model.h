// Messages of the current room: the loaded history (pages prepended on fetchMore, so a view
// keeps its scroll position), live messages appended, and the outbox's unacknowledged
// messages at the end, replaced in place when the server acknowledges them. Edits and deletes
// (ChatClient::messageChanged, messageDeleted) change rows in place, and the reply quotes of
// the rows that answer them.
// Memory is bounded by what was loaded; switching rooms clears it.
#pragma once

#include "outbox.h"
#include "protocol/objects.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QSet>

namespace chalk::client {

class ChatClient;

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        UuidRole = Qt::UserRole + 1, // empty while pending
        BodyRole,                    // plain text: views must never render it as markup
        SenderNameRole,
        SenderUuidRole,
        CreatedRole, // QDateTime (queue time while pending)
        OwnRole,     // bool
        StateRole,   // int(DeliveryState): Pending / Sent / Stored
        ClientIdRole,
        EditedRole,       // bool: its author edited it ("(edited)")
        EditedAtRole,     // QDateTime of the last edit; invalid when never edited
        DeletedRole,      // bool: a tombstone (DisplayRole says "Message deleted", BodyRole "")
        ReplyToRole,      // the uuid of the message this one replies to; empty: none
        ReplySenderRole,  // the quoted message's sender name
        ReplyTextRole,    // the start of the quoted message (plain text); empty once deleted
        ReplyDeletedRole, // bool: the quoted message was deleted
    };
    Q_ENUM(Role)

    explicit MessageListModel(ChatClient *client = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Older history exists and no page is being fetched.
    bool canFetchMore(const QModelIndex &parent = {}) const override;
    // Asks list_messages{before: oldest uuid, limit: pageSize}; the page is prepended.
    void fetchMore(const QModelIndex &parent = {}) override;

    QString roomUuid() const { return m_room; }
    bool hasMore() const { return m_hasMore; }
    bool isFetching() const { return m_fetching; }
    qsizetype storedCount() const { return m_messages.size(); }
    qsizetype pendingCount() const { return m_pending.size(); }
    int pageSize() const { return m_pageSize; }
    void setPageSize(int size) { m_pageSize = size; }
    // The row of a stored message, or -1.
    int rowOf(const QString &uuid) const;

public slots:
    // Switches to a room (clears the rows; pending outbox entries of that room are shown).
    void setRoom(const QString &roomUuid);
    void clear();
    // Feeding (connected to the client by the constructor; public for tests and tools).
    void addMessage(const chalk::protocol::Message &message);
    void addPage(const QList<chalk::protocol::Message> &messages, bool hasMore,
                 const QString &before);
    // A loaded message as it is now (edited or deleted): its row, and the quotes of the rows
    // that reply to it, change in place. Unknown messages are ignored.
    void changeMessage(const chalk::protocol::Message &message);
    void deleteMessage(const QString &roomUuid, const QString &messageUuid);

signals:
    // After a page was prepended: `count` rows inserted at the top.
    void pagePrepended(int count);
    // The newest page of the room arrived for the first time since setRoom (possibly empty).
    void newestPageLoaded();
    // Rows [first, last] were appended after the history: messages that came in live, or the
    // ones missed while the link was down. Never for pages of history nor own pending ones.
    void messagesAppended(int first, int last);

private:
    void onEntryAdded(const OutboxEntry &entry);
    void onEntryStateChanged(const OutboxEntry &entry);
    void onEntryAcknowledged(const OutboxEntry &entry, const protocol::Message &message);
    void onEntryFailed(const OutboxEntry &entry);
    void reloadPending();
    // Replaces the row of `message` when it differs (an edit or delete missed while offline
    // comes with the newest page) and refreshes the quotes of its replies.
    void applyChange(const protocol::Message &message);
    // The pending reply's quote, from the loaded message it answers.
    QVariant pendingQuote(const OutboxEntry &e, int role) const;
    int pendingIndex(const QString &clientId) const;
    bool isOwn(const protocol::Message &m) const;

    QPointer<ChatClient> m_client;
    QString m_room;
    QList<protocol::Message> m_messages; // stored, oldest first
    QSet<QString> m_uuids;
    QList<OutboxEntry> m_pending; // shown after m_messages
    bool m_hasMore = false;
    bool m_fetching = false;
    bool m_pageSeen = false; // the newest page of this room arrived
    int m_pageSize = 50;
};

} // namespace chalk::client
