// Columns over the client's LogModel (one row per statement): time, direction arrow, what
// happened in words (log_summary.h), statement name, type, and the payload as JSON. Follows
// the ring buffer's inserts and removals.
#pragma once

#include "client/log_model.h"
#include "log_summary.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace chalk::ui {

class LogTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        DirectionColumn,
        SummaryColumn,
        NameColumn,
        TypeColumn,
        MessageColumn, // the payload as JSON (the LogPane shows it on demand)
        ColumnCount
    };

    explicit LogTableModel(client::LogModel *source, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    client::LogModel *source() const { return m_source; }
    // Names rooms in the summaries (e.g. from the RoomListModel).
    void setRoomNames(RoomNameLookup lookup);

private:
    QPointer<client::LogModel> m_source;
    RoomNameLookup m_roomNames;
};

} // namespace chalk::ui
