"""Digests of each variant's answers (made by scripts/variant_digests.py; do not
edit). DIGESTS[set][question][variant] is `alliancekit.checks.digest` of the worked
answer in that variant."""

DIGESTS: dict = {
    'ex01-theory': {
        'Q1': ('824ee9e7a5db', '206f96a30a99', 'f612850b19d5', '76fc4b7c0f98', 'b27525908624'),
        'Q3': ('119b5d6254ce', '6a5797656c74', 'b14ea9eb0207', 'b554dd00617e', 'e3dfac4d9bbd'),
        'Q8': ('06ed6cd0fe76', '06ed6cd0fe76', '06ed6cd0fe76', '06ed6cd0fe76', '06ed6cd0fe76'),
        'Q9': ('29f375c9f539', '460c3a932116', '5678e420e37e', '8462216de761', 'c79533c5883d'),
    },
    'ex02-patterns': {
        'Q3': ('ee34f03fc599', '92a25df34c74', 'd5ce4ecaeba5', '46c385c5ca18', '9cdb4be2227f'),
        'Q7': ('d6b6d6169d2f', '1ac9f549d4fa', '7cc29ecc8aab', 'e774d8da3b03', '726a17d9c971'),
        'Q8': ('1aeed5b36de3', '87c39cc38811', 'af4b6b9dea56', 'dda4f1a7d659', '0898f2602751'),
    },
    'ex03-europe': {
        'Q1': ('821de34a02a6', '38e873f3aca5', '84be0834ddce', '086095a7e625', 'e18cb96a6a05'),
        'Q5': ('5668019efffb', '51f6b9bd29fb', '9522b668d399', 'f833e8340576', '26d71ee2edb2'),
        'Q8': ('3198be365d62', 'e98f8a240251', '30a58d739e7e', '105befb6d378', '84a0b346a986'),
    },
    'ex04-little-entente': {
        'Q3': ('b0de0fc806f2', '162af65c5464', '8a28676caad0', '0074a96af5c9', '2a6f7f95ecc5'),
        'Q4': ('0601eb3c69dc', '80f4c04ff8eb', '0a6cca090894', '9fec4617c0e7', '7b44ca166c18'),
        'Q7': ('e32719bd36bb', '5c1a15eb5841', '1180a3f0c810', 'ff36d58a2db7', '9673040d5759'),
        'Q8': ('4dc5cc4e7c42', '5ecbc825ba5c', 'dfef75e45d0c', 'b440d5b1227f', '22fa3ce4995a'),
    },
    'ex05-erosion': {
        'Q3': ('6582cbd7ae7e', '881c8b1e5419', '6a2a061bb213', '6077798d4680', '594788c456e8'),
        'Q4': ('e26ca7397ba8', '0e90883ae06b', '29174e83a581', '42c567db6374', '065b8dc15138'),
        'Q7': ('6f5951ed6dc9', 'aff3b097c5f9', 'b76b3ffa76f1', 'f4493c4bd93a', '0cb5a9a89207'),
        'Q8': ('c1299919d8fa', 'b4c3a133ffec', '74a87c523931', 'c03eeb930250', '98fcc7a319ae'),
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
        'Q5': ('f934a825aa7d', '7651b1e1726c', 'bf154968e3b0', '182abea85cf2', 'a9590a57dcd6'),
        'Q6': ('fa4a19e797ba', '7a54b4a2ccc1', '3ddf0bb0741d', '4a1547c9fa77', 'f5fad728ff29'),
    },
    'ex10-landscape': {
        'Q1': ('d94adbcaaf9f', '8c83d1138bb7', '54eb5b919ed9', '298681734d43', '4945b7fdce71'),
        'Q4': ('928c1d36f184', 'a1b519b99872', 'ef80a8cda6c4', 'e263e9704919', '6eb947779031'),
        'Q5': ('3372747f76a7', '569567d63783', 'a71f2b9d229c', '6dc0f5c2277e', 'd827049039f8'),
    },
}
