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
    'ex06-small-powers': {
        'Q2': ('d3a3507f771e', '8597fda0f367', '73ab726e361d', '177ce253afde', '54ab9a188293'),
        'Q3': ('254361fb5d6b', 'bd4cb4a77d44', '24dc313bb880', 'c423705aa28a', '38d321c04d15'),
        'Q8': ('badd7d6fd5cd', 'd0edab5f9bcf', '67a291992c48', '479da30a47d0', '3cd292ea359a'),
        'Q9': ('7cee6ecd42e2', '25a652a59619', 'ea7c0f76b996', 'b1f9906271f1', '406be645a007'),
    },
    'ex07-managing': {
        'Q3': ('fb4361ca42b0', '9d4906cade70', 'f5152a38d596', 'd85362ed5d20', 'fbf5f8a856d7'),
        'Q7': ('c8c3643674e6', 'b2802328d85f', '0ec980ac4cd0', '962b05088963', '675eb62a88d1'),
        'Q8': ('973b372a514f', 'd2cbad71ff33', 'b4af4e0d4039', '1e9d7c27c8bb', '8139b3395240'),
    },
    'ex09-evidence': {
        'Q1': ('6168a49582bc', 'd116afb6f61d', '6c3f9363fae0', 'ce5d3aa79ae5', '4d44dd7e230b'),
        'Q5': ('f934a825aa7d', '7651b1e1726c', 'bf154968e3b0', '182abea85cf2', 'dff82820fed1'),
        'Q6': ('fa4a19e797ba', '7a54b4a2ccc1', '3ddf0bb0741d', '4a1547c9fa77', 'f5fad728ff29'),
    },
    'ex10-landscape': {
        'Q1': ('d94adbcaaf9f', '8c83d1138bb7', '54eb5b919ed9', '4748ad551b7a', '4945b7fdce71'),
        'Q4': ('928c1d36f184', 'a1b519b99872', 'ef80a8cda6c4', 'e263e9704919', '6eb947779031'),
        'Q5': ('3372747f76a7', '569567d63783', 'a71f2b9d229c', '6dc0f5c2277e', 'd827049039f8'),
    },
}
