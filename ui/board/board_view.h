// Shows the BoardScene scaled to fit (aspect kept) and turns mouse strokes into model
// strokes in logical canvas coordinates.
#pragma once

#include <QGraphicsView>
#include <QPointer>

namespace chalk::board {
class BoardModel;
}

namespace chalk::ui {

class BoardScene;

class BoardView : public QGraphicsView {
    Q_OBJECT
public:
    explicit BoardView(BoardScene *scene, QWidget *parent = nullptr);

    BoardScene *boardScene() const { return m_scene; }

    void setTool(const QString &tool) { m_tool = tool; }
    QString tool() const { return m_tool; }
    void setInkColor(const QString &color) { m_color = color; }
    QString inkColor() const { return m_color; }
    void setStrokeWidth(double width) { m_width = width; }
    double strokeWidth() const { return m_width; }

    // The logical point under a viewport position, kept on the canvas.
    QPointF canvasPoint(QPointF viewportPos) const;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void fit();

    BoardScene *m_scene;
    QString m_tool = QStringLiteral("pen");
    QString m_color = QStringLiteral("#000000cc");
    double m_width = 5;
    bool m_drawing = false;
};

} // namespace chalk::ui
