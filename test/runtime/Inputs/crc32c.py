"""CRC-32C (Castagnoli), bit by bit: the independent checksum of the test
readers of checkpoints (checkpoint_sections.py) and TensorBoard event
files (tfevents.py). crc32c(b"123456789") == 0xE3069283."""


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283
