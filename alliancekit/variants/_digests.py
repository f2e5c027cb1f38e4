"""Digests of each variant's answers (made by scripts/variant_digests.py; do not
edit). DIGESTS[set][question][variant] is `alliancekit.checks.digest` of the worked
answer in that variant."""

DIGESTS: dict = {
    'ex01-theory': {
        'Q1': ('824ee9e7a5db', 'f612850b19d5', 'f612850b19d5', '76fc4b7c0f98', 'b27525908624'),
        'Q3': ('119b5d6254ce', '6a5797656c74', 'b14ea9eb0207', 'b554dd00617e', 'e3dfac4d9bbd'),
        'Q8': ('06ed6cd0fe76', '06ed6cd0fe76', '06ed6cd0fe76', '06ed6cd0fe76', '06ed6cd0fe76'),
        'Q9': ('29f375c9f539', '460c3a932116', '5678e420e37e', '8462216de761', 'c79533c5883d'),
    },
    'ex05-erosion': {
        'Q3': ('6582cbd7ae7e', '881c8b1e5419', '6a2a061bb213', 'd48ec3d1a30e', '594788c456e8'),
        'Q4': ('e26ca7397ba8', '0e90883ae06b', '29174e83a581', '29174e83a581', '065b8dc15138'),
        'Q7': ('6f5951ed6dc9', 'aff3b097c5f9', 'b76b3ffa76f1', 'f4493c4bd93a', '0cb5a9a89207'),
        'Q8': ('c1299919d8fa', 'b4c3a133ffec', '74a87c523931', '0e2da2a36521', '98fcc7a319ae'),
    },
    'ex07-managing': {
        'Q3': ('fb4361ca42b0', '9d4906cade70', 'f5152a38d596', 'd85362ed5d20', 'fbf5f8a856d7'),
        'Q7': ('c8c3643674e6', 'b2802328d85f', '0ec980ac4cd0', '962b05088963', '675eb62a88d1'),
        'Q8': ('973b372a514f', 'd2cbad71ff33', 'b4af4e0d4039', '1e9d7c27c8bb', '8139b3395240'),
    },
}
