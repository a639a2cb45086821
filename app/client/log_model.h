// Every statement sent and received (time, direction, type, name, raw JSON), as a capped ring:
// the oldest rows drop off once `capacity` is reached, so a long session has bounded memory.
#pragma once

#include "chat_client.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <deque>

namespace chalk::client {

class LogModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        TimeRole = Qt::UserRole + 1, // QDateTime
        DirectionRole,               // int(ChatClient::Direction)
        TypeRole,                    // "call" / "result" / "error"
        NameRole,                    // the statement name, e.g. "create_message"
        RawRole                      // the JSON text as it went over the wire
    };
    Q_ENUM(Role)

    struct Row {
        QDateTime time;
        ChatClient::Direction direction;
        QString type;
        QString name;
        QString raw;
    };

    explicit LogModel(ChatClient *client = nullptr, int capacity = 5000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static constexpr int kMaxRawChars = 16 * 1024; // longer frames are cut in the log
    int capacity() const { return m_capacity; }
    const Row &row(int i) const { return m_rows[std::size_t(i)]; }
    // One line per row: "2026-11-23T12:00:00.000Z  -> call create_message  {...}".
    static QString formatRow(const Row &row);
    // Writes every row, oldest first (UTF-8). False when the file cannot be written.
    bool saveToFile(const QString &path) const;

public slots:
    void append(chalk::client::ChatClient::Direction direction, const QString &type,
                const QString &name, const QString &raw, const QDateTime &time);
    void clear();

private:
    std::deque<Row> m_rows;
    int m_capacity;
};

} // namespace chalk::client
