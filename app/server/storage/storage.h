// Storage behind one small interface: MemoryStorage (tests), SqliteStorage (default).
// Every call is awaited with QCoro; SQL implementations run on their own thread so the
// event loop that serves sockets never blocks on disk.
#pragma once

#include "protocol/objects.h"

#include <QByteArray>
#include <QCoroTask>
#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace chalk::server {

struct MessagePage {
    QList<protocol::Message> messages; // oldest first within the page
    bool hasMore = false;              // older messages exist before the first one
};

// A registered user: the user (registered = true) with its login name and its password hash
// (libsodium's crypto_pwhash_str text: algorithm, work factor, salt and hash in one string).
struct Account {
    protocol::User user;
    QString loginName;
    QByteArray passwordHash;
};

// An account looked up by name: failed = the storage could not answer (not "no such account").
struct AccountLookup {
    bool failed = false;
    std::optional<Account> account;
};

enum class AccountCreated { Created, NameTaken, AlreadyRegistered, Failed };

// A page of list_users: the users as stored (uuid, name, registered, lastSeen; online is the
// server's to fill in), and whether more match after the last one.
struct UserPage {
    QList<protocol::UserPresence> users;
    bool hasMore = false;
    bool unknownAfter = false; // the cursor named no user: nothing listed
};

struct StoredMessage {
    protocol::Message message; // as stored (uuid, created, seq filled in)
    bool duplicate = false;    // the same (user, client_id) was stored before; not stored again
};

// The unread count of one room a user follows (it has a read marker there).
struct UnreadCount {
    QString roomUuid;
    qint64 unread = 0;     // messages after the marker, not the user's own
    qint64 throughSeq = 0; // the room's newest message (seq) when counted; 0: none
};

enum class ReadMarked { Moved, Kept, NoSuchMessage, Failed };

// A message looked up by uuid: failed = the storage could not answer (not "no such message").
struct MessageLookup {
    bool failed = false;
    std::optional<protocol::Message> message;
};

// What editMessage and deleteMessage did: Changed (`message` as stored now), or why not:
// NoSuchMessage, NotYours (another user's), Deleted (a tombstone: cannot be edited; deleting
// it again answers Deleted with the tombstone), Failed (storage).
enum class MessageChange { Changed, NoSuchMessage, NotYours, Deleted, Failed };
struct ChangedMessage {
    MessageChange result = MessageChange::Failed;
    protocol::Message message;
};

class Storage {
public:
    virtual ~Storage() = default;

    // Opens (creating or upgrading the schema). False with lastError() on failure.
    virtual QCoro::Task<bool> open() = 0;
    // Waits for every write issued before it; used on shutdown.
    virtual QCoro::Task<void> flush() = 0;
    virtual QString lastError() const = 0;
    virtual QString describe() const = 0; // e.g. "sqlite:/path/chalkroom.db", for logs

    // Rooms, oldest first, with `sum` (message count), `created` and a direct conversation's
    // `members` (stored by createRoom); `users` left empty.
    virtual QCoro::Task<std::optional<QList<protocol::Room>>> listRooms() = 0;
    virtual QCoro::Task<bool> createRoom(protocol::Room room) = 0;
    virtual QCoro::Task<bool> updateRoom(protocol::Room room) = 0; // name and colour
    // Deletes the room with its messages and drawing.
    virtual QCoro::Task<bool> deleteRoom(QString roomUuid) = 0;

    // Stores a message; idempotent on (user uuid, client_id) when client_id is set. Its
    // reply_to (if any) is a message of the same room, checked by the caller.
    virtual QCoro::Task<std::optional<StoredMessage>> addMessage(protocol::Message message) = 0;
    // The newest `limit` messages older than `beforeUuid` (or the newest, if empty).
    // nullopt on failure, or when beforeUuid names no message of that room.
    virtual QCoro::Task<std::optional<MessagePage>> listMessages(QString roomUuid,
                                                                 QString beforeUuid, int limit) = 0;

    // Own messages (docs/SERVER.md "Own messages"). Messages carry their reply quote
    // (reply_to_sender, reply_to_text as the replied-to message is now) wherever they are read.
    // The message with that uuid, in any room.
    virtual QCoro::Task<MessageLookup> messageByUuid(QString messageUuid) = 0;
    // The author's message gets a new body and edited_at = `when`; refused for a tombstone.
    virtual QCoro::Task<ChangedMessage> editMessage(QString messageUuid, QString authorUuid,
                                                    QString body, QDateTime when) = 0;
    // The author's message becomes a tombstone: its row stays (history pages, seq, the room's
    // sum) with its body cleared; unread counts no longer count it.
    virtual QCoro::Task<ChangedMessage> deleteMessage(QString messageUuid, QString authorUuid) = 0;

    // The room's drawing lines in drawing order (first drawn first).
    virtual QCoro::Task<std::optional<QList<protocol::Line>>> lines(QString roomUuid) = 0;
    // Insert, or replace the points/colour/tool/width of the line with that uuid.
    virtual QCoro::Task<bool> upsertLine(QString roomUuid, protocol::Line line) = 0;
    virtual QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) = 0;
    virtual QCoro::Task<bool> resetDrawing(QString roomUuid) = 0;

    // Identities for resume: the token is stored only as a hash. saveUser makes tokenHash the
    // user's only token (an anonymous user has one device); a hash of another user fails.
    virtual QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) = 0;
    // The user of a token, with `registered` set when it has an account.
    virtual QCoro::Task<std::optional<protocol::User>> userByTokenHash(QByteArray tokenHash) = 0;

    // Accounts. Names compare by protocol::nameKey(); the storage computes the keys itself.
    // Registers `user` (new, or an anonymous user keeping its uuid, name and history) under
    // `loginName`; its tokens become {tokenHash}. NameTaken when the name's key is another
    // account's name or another registered user's display name.
    virtual QCoro::Task<AccountCreated> createAccount(protocol::User user, QString loginName,
                                                      QByteArray passwordHash,
                                                      QByteArray tokenHash) = 0;
    virtual QCoro::Task<AccountLookup> accountByName(QString loginName) = 0;
    virtual QCoro::Task<AccountLookup> accountOf(QString userUuid) = 0;
    // A name and room for a user, its tokens untouched (a registered user on one of its
    // devices). False for an unknown user.
    virtual QCoro::Task<bool> updateUser(protocol::User user) = 0;
    // One more device of a registered user.
    virtual QCoro::Task<bool> addToken(QString userUuid, QByteArray tokenHash) = 0;
    // Logout: that device's token no longer resumes. True also when it was already gone.
    virtual QCoro::Task<bool> revokeToken(QByteArray tokenHash) = 0;
    // A new password hash; every token of the user but keepTokenHash is revoked, together.
    virtual QCoro::Task<bool> changePassword(QString userUuid, QByteArray passwordHash,
                                             QByteArray keepTokenHash) = 0;
    // The registered user whose login name or display name has this name's key, other than
    // exceptUuid: its uuid, an empty string for none, nullopt when the storage failed.
    virtual QCoro::Task<std::optional<QString>> registeredNameOwner(QString name,
                                                                    QString exceptUuid) = 0;

    // Blocks between users (direct conversations): `blocker` no longer hears from `blocked`.
    // Setting a block that exists (or clearing one that does not) succeeds.
    virtual QCoro::Task<bool> setBlocked(QString blocker, QString blocked, bool on) = 0;
    // Whether `blocker` blocks `blocked`; nullopt when the storage failed.
    virtual QCoro::Task<std::optional<bool>> isBlocked(QString blocker, QString blocked) = 0;

    // Presence. When the user's last device left (milliseconds, UTC); false for an unknown user.
    virtual QCoro::Task<bool> setLastSeen(QString userUuid, QDateTime when) = 0;
    // The last seen of each of these users that has one (unknown users and those never seen
    // leaving are left out); nullopt when the storage failed. For presence on connect: the
    // state of a user's direct-conversation partners.
    virtual QCoro::Task<std::optional<QHash<QString, QDateTime>>>
    lastSeenOf(QStringList userUuids) = 0;
    // Up to `limit` users whose protocol::searchKey(name) contains searchKey(query) (every
    // user for an empty query), ordered by (search key, uuid) compared as UTF-8 bytes,
    // starting after the user `afterUuid` (from the first when empty; unknownAfter when it
    // names no user). nullopt when the storage failed.
    virtual QCoro::Task<std::optional<UserPage>> listUsers(QString query, QString afterUuid,
                                                           int limit) = 0;
    // Read markers (docs/SERVER.md "Unread counts"). A user follows a room from its marker
    // on: a direct conversation's two members from its start (createRoom sets their markers
    // before its first message), a public room from where the user first entered it.
    // followRoom: a marker at the room's newest message, unless the user has one already.
    virtual QCoro::Task<bool> followRoom(QString userUuid, QString roomUuid) = 0;
    // The marker moves forward to the message (of that room): Moved; never back: Kept.
    virtual QCoro::Task<ReadMarked> markRead(QString userUuid, QString roomUuid,
                                             QString messageUuid) = 0;
    // Every room the user follows (or only `roomUuid`, when given), with the others' messages
    // (not deleted) after its marker. Costs two index range counts per room, each as long as the
    // messages after the marker.
    virtual QCoro::Task<std::optional<QList<UnreadCount>>> unreadCounts(QString userUuid,
                                                                        QString roomUuid) = 0;
};

} // namespace chalk::server
