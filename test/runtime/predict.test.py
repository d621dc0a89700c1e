"""Checks `mnistrt evaluate`'s report against itself: the confusion matrix
holds every test image once, its diagonal over the total is the printed
test accuracy, each row's sum is that class's support, and each recall is
the diagonal over the row (predict.test)."""
import re
import sys

text = open(sys.argv[1]).read()
accuracy = float(re.search(r"test accuracy: ([0-9.]+)", text).group(1))
rows = re.findall(r"^\s+(\d)((?:\s+\d+){10})$", text, re.M)
matrix = [[int(v) for v in r[1].split()] for r in rows]
assert len(matrix) == 10, "expected 10 matrix rows"
total = sum(map(sum, matrix))
assert total == 10000, total
diagonal = sum(matrix[i][i] for i in range(10))
assert abs(diagonal / total - accuracy) < 6e-5, (diagonal, accuracy)
for c, precision, recall, f1, support in re.findall(
        r"^\s+(\d)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+(\d+)$", text, re.M):
    c = int(c)
    assert sum(matrix[c]) == int(support), (c, support)
    assert abs(matrix[c][c] / int(support) - float(recall)) < 6e-5, c
print("matrix consistent:", diagonal, "of", total)
