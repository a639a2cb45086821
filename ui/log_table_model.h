// Columns over the client's LogModel (one row per statement): time, direction arrow, type,
// statement name, and the frame as sent. Follows the ring buffer's inserts and removals.
#pragma once

#include "client/log_model.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace chalk::ui {

class LogTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, DirectionColumn, TypeColumn, NameColumn, MessageColumn, ColumnCount };

    explicit LogTableModel(client::LogModel *source, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    client::LogModel *source() const { return m_source; }

private:
    QPointer<client::LogModel> m_source;
};

} // namespace chalk::ui
