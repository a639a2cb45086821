// What the user made that the server has not acknowledged yet: messages, and the board's
// finished strokes and stroke removals (issue 12: a stroke drawn offline is no longer lost).
// Each has a client_id chosen here; a resend after a reconnect reuses it, so the server stores
// a message once, and a line (the whole line, keyed by its uuid) is an idempotent upsert.
#pragma once

#include "protocol/objects.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QVariantList>
#include <optional>

namespace chalk::client {

// Pending: waiting for a link. Sent: written to a connected socket (one tick).
// Stored: the server's message_created arrived, so it is in the database (two ticks).
enum class DeliveryState { Pending, Sent, Stored };

// What an entry carries: create_message, change_draw_line (the whole line) or
// remove_draw_line (line.uuid only).
enum class OutboxKind { Message, Line, LineRemoval };

struct OutboxEntry {
    QString clientId; // uuid, stable across resends
    OutboxKind kind = OutboxKind::Message;
    QString body;        // Message: trimmed, as the server stores it
    QString replyTo;     // Message: the message it replies to (empty: none)
    protocol::Line line; // Line: the finished line; LineRemoval: its uuid
    QString roomUuid;    // the room it was written in; only sent there
    QDateTime queued;
    DeliveryState state = DeliveryState::Pending;
    int attempts = 0; // how many times it was written to a socket
};

class Outbox : public QObject {
    Q_OBJECT
public:
    explicit Outbox(QObject *parent = nullptr);

    // Queues a message (a reply to `replyTo`, when set) and returns its client_id.
    QString enqueue(const QString &roomUuid, const QString &body, const QString &replyTo = {});
    // Queues a finished line (sent whole, never as an append). A waiting entry of the same
    // line (and room) takes the newer points instead; returns that entry's client_id.
    QString enqueueLine(const QString &roomUuid, const protocol::Line &line);
    // Queues the removal of a line. A never-sent entry of that line is withdrawn; then the
    // removal is queued only when live chunks of the line may have reached the server
    // (mayBeOnServer), else nothing is left to do and the result is empty.
    QString enqueueLineRemoval(const QString &roomUuid, const QString &lineUuid,
                               bool mayBeOnServer);

    const QList<OutboxEntry> &entries() const { return m_entries; }
    QList<OutboxEntry> entriesForRoom(const QString &roomUuid) const;
    QList<OutboxEntry> entriesForRoom(const QString &roomUuid, OutboxKind kind) const;
    // How many entries of a kind are waiting (the board says how many strokes are queued).
    qsizetype count(OutboxKind kind) const;
    std::optional<OutboxEntry> entry(const QString &clientId) const;
    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }

    void markSent(const QString &clientId);
    // The link dropped: nothing in flight is known to have arrived.
    void markAllPending();

    // A message_created arrived. Matches by client_id; against a server that does not echo
    // client_id, by the oldest sent entry of the own user with the same body. Removes the
    // matched entry and returns it.
    std::optional<OutboxEntry> acknowledge(const protocol::Message &message,
                                           const QString &ownUserUuid);
    // A draw_line_changed (kind Line) or draw_line_removed (LineRemoval) arrived. Matches by
    // client_id; when the server echoes none (the original), by the line's uuid among the
    // entries already written. Removes the matched entry and returns it.
    std::optional<OutboxEntry> acknowledgeLine(OutboxKind kind, const QString &clientId,
                                               const QString &lineUuid);
    // For keeping unsent entries across a restart of the app (OutboxStore): one map per
    // entry with client_id, body, room_uuid, queued (a QDateTime), attempts and, for a reply,
    // reply_to; a board entry
    // adds kind ("line" or "remove_line") and line (the line's JSON object as a map).
    QVariantList toVariantList() const;
    // Adds saved entries (as Pending) that are not here yet; ignores malformed ones. `queued`
    // may also be an ISO 8601 string (the JSON form kept before issue 9).
    void restore(const QVariantList &saved);

    // The server refused it for good (too long, no room...): removes it.
    std::optional<OutboxEntry> fail(const QString &clientId, const QString &error,
                                    const QString &detail);

signals:
    void entryAdded(const chalk::client::OutboxEntry &entry);
    void entryStateChanged(const chalk::client::OutboxEntry &entry);
    // A waiting line took newer points (enqueueLine of a line already queued).
    void entryReplaced(const chalk::client::OutboxEntry &entry);
    void entryAcknowledged(const chalk::client::OutboxEntry &entry,
                           const chalk::protocol::Message &message);
    void entryFailed(const chalk::client::OutboxEntry &entry, const QString &error,
                     const QString &detail);

private:
    QList<OutboxEntry> m_entries;
};

} // namespace chalk::client
