// Rooms sorted by creation time (oldest first, as the original lists them) and filtered by a
// case-insensitive search on the name.
#pragma once

#include <QSortFilterProxyModel>

namespace chalk::client {

class RoomFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RoomFilterProxyModel(QObject *parent = nullptr);

    QString searchText() const { return m_search; }

public slots:
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_search;
};

} // namespace chalk::client
