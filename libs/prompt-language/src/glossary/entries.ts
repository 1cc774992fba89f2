/**
 * The Korean → English music glossary, as tables of lines:
 *
 *   korean|alternative spelling = english            (one entry)
 *   오케스트라 = orchestra / orchestral               (second form used before another noun)
 *
 * Spaces inside a Korean key are optional when matching ("비 오는 날" also matches
 * "비오는날"). In the predicate tables (kind "adj"), keys ending in 다 are conjugated
 * (잔잔하다 → 잔잔한, 잔잔하고, 잔잔하게, ...; see conjugate()); other keys are used as
 * written. Noun keys take particles (피아노가, 피아노와, 피아노로 ...) at match time.
 *
 * Kinds (how the term behaves in the English prompt, see translate.ts):
 *   noun     musical content: genres, instruments, production; heads the main phrase
 *   adj      modifiers: moods, colours, eras, textures (placed before their noun)
 *   scene    places, times, weather, occasions: a phrase of its own after the music
 *   purpose  what the music is for ("공부할 때" → "for studying"): a phrase of its own
 *   key      keys, modes, scales ("단조" → "minor key"): a phrase of its own
 *   tempo    tempo markings and meters: a phrase of its own; "템포"/"박자" take the
 *            adjectives before them ("느린 템포" → "slow tempo")
 *   extra    a phrase of its own as written ("노 보컬" → "no vocals")
 *   filler   known words that carry nothing for the model (verbs of listening, requests);
 *            "break" fillers end the phrase before them, "soft" fillers do not
 *   very / slightly   intensifiers, kept only right before an adjective
 *   neg      "없는/없이/빼고": turns the phrase before it into "no …"
 *   style    "풍/스타일": "재즈풍" → "jazz-style"
 *   and / or conjunctions between words
 */

export type TermKind =
  | 'noun'
  | 'adj'
  | 'scene'
  | 'purpose'
  | 'key'
  | 'tempo'
  | 'tempo-head'
  | 'extra'
  | 'filler-break'
  | 'filler-soft'
  | 'very'
  | 'slightly'
  | 'neg'
  | 'style'
  | 'and'
  | 'or';

export interface GlossaryTable {
  group: string;
  kind: TermKind;
  lines: string;
}

const table = (group: string, kind: TermKind, lines: string): GlossaryTable => ({ group, kind, lines });

export const GLOSSARY_TABLES: readonly GlossaryTable[] = [
  table(
    'genre',
    'noun',
    `
재즈|째즈 = jazz
스윙 재즈 = swing jazz
스윙 = swing
비밥 = bebop
쿨 재즈 = cool jazz
퓨전 재즈 = fusion jazz
스무스 재즈 = smooth jazz
애시드 재즈|애씨드 재즈 = acid jazz
재즈 힙합 = jazz hip hop
재즈 펑크 = jazz-funk
집시 재즈 = gypsy jazz
빅밴드|빅 밴드 = big band
라운지 = lounge
보사노바|보사 노바 = bossa nova
삼바 = samba
탱고 = tango
라틴 = latin
살사 = salsa
룸바 = rumba
맘보 = mambo
플라멩코|플라멩꼬 = flamenco
레게 = reggae
레게톤 = reggaeton
덥 = dub
스카 = ska
아프로비트 = afrobeat
아프로비츠 = afrobeats
블루스 = blues
소울 = soul
네오 소울 = neo-soul
알앤비|알엔비|알 앤 비 = R&B
펑크 = funk
디스코 = disco
뉴 디스코|누디스코 = nu-disco
모타운 = Motown
두왑 = doo-wop
가스펠 = gospel
힙합|힙 합 = hip hop
붐뱁 = boom bap
올드스쿨 힙합 = old-school hip hop
트랩 = trap
드릴 = drill
랩 = rap
로파이|로우파이|로 파이 = lo-fi
로파이 힙합 = lo-fi hip hop
칠합 = chillhop
칠아웃|칠 아웃 = chillout
트립합|트립 합 = trip hop
다운템포|다운 템포 = downtempo
일렉트로닉 = electronic
일렉트로니카 = electronica
전자 음악|전자음악 = electronic music
이디엠 = EDM
일렉트로 = electro
하우스 = house
딥 하우스 = deep house
프로그레시브 하우스 = progressive house
트로피컬 하우스|트로피칼 하우스 = tropical house
퓨처 하우스 = future house
테크 하우스 = tech house
테크노 = techno
미니멀 테크노 = minimal techno
트랜스 = trance
사이트랜스|싸이트랜스 = psytrance
하드스타일 = hardstyle
덥스텝 = dubstep
드럼 앤 베이스|드럼앤베이스|드럼 앤드 베이스|드앤베|디앤비 = drum and bass
리퀴드 드럼 앤 베이스 = liquid drum and bass
정글 = jungle
개러지 = garage
브레이크비트|브레이크 비트 = breakbeat
퓨처 베이스 = future bass
신스웨이브|신스 웨이브 = synthwave
레트로웨이브|레트로 웨이브 = retrowave
다크신스 = darksynth
베이퍼웨이브|베이퍼 웨이브 = vaporwave
시티팝|시티 팝 = city pop
신스팝|신스 팝|신디팝 = synth-pop
일렉트로팝|일렉트로 팝 = electropop
댄스 = dance
댄스 팝 = dance-pop
하이퍼팝 = hyperpop
케이팝|케이 팝 = K-pop
제이팝|제이 팝 = J-pop
팝 = pop
팝송 = pop song
팝 발라드 = pop ballad
인디 팝 = indie pop
인디 = indie
인디 록|인디락|인디 락 = indie rock
인디 포크 = indie folk
발라드 = ballad
파워 발라드 = power ballad
록|락 = rock
하드 록|하드락 = hard rock
소프트 록|소프트락 = soft rock
얼터너티브 = alternative
모던 록|모던락 = modern rock
펑크 록|펑크락 = punk rock
팝 펑크 = pop punk
포스트 록|포스트락 = post-rock
포스트 펑크 = post-punk
뉴 웨이브 = new wave
그런지 = grunge
슈게이즈|슈게이징 = shoegaze
드림 팝 = dream pop
브릿팝|브릿 팝 = Britpop
개러지 록 = garage rock
사이키델릭|싸이키델릭 = psychedelic
사이키델릭 록 = psychedelic rock
프로그레시브 록|프로그 록 = progressive rock
프로그레시브 = progressive
서프 록 = surf rock
로큰롤|로큰 롤|록앤롤|락앤롤 = rock and roll
로커빌리 = rockabilly
블루스 록 = blues rock
메탈 = metal
헤비메탈|헤비 메탈 = heavy metal
스래시 메탈|쓰래시 메탈 = thrash metal
데스 메탈 = death metal
블랙 메탈 = black metal
메탈코어 = metalcore
뉴 메탈 = nu metal
심포닉 메탈 = symphonic metal
파워 메탈 = power metal
이모 = emo
하드코어 = hardcore
컨트리 = country
블루그래스 = bluegrass
포크 = folk
포크송|포크 송 = folk song
어쿠스틱 = acoustic
어쿠스틱 팝 = acoustic pop
싱어송라이터 = singer-songwriter
클래식 = classical
클래식 음악|고전 음악 = classical music
바로크 = baroque
낭만주의|낭만파 = Romantic-era
현대 음악 = contemporary classical
미니멀리즘 = minimalism
교향곡|심포니 = symphony / symphonic
협주곡|콘체르토 = concerto
소나타 = sonata
녹턴|야상곡 = nocturne
왈츠 = waltz
행진곡 = march
자장가 = lullaby
동요 = children's song
캐롤|캐럴 = carol
찬송가 = hymn
성가 = chant
그레고리안 성가 = Gregorian chant
오페라 = opera
아리아 = aria
뮤지컬 = musical theater
영화 음악 = film score
사운드트랙 = soundtrack
오에스티 = soundtrack
트레일러 = trailer
시네마틱 = cinematic
게임 음악 = video game music
칩튠 = chiptune
앰비언트|엠비언트 = ambient
다크 앰비언트 = dark ambient
드론 = drone
뉴에이지|뉴 에이지 = new age
명상 음악 = meditation music
힐링 음악 = relaxing music
월드 뮤직 = world music
켈틱|켈트 = Celtic
아이리시 = Irish
하와이안 = Hawaiian
국악 = Korean traditional music
판소리 = pansori
민요 = folk song
사물놀이 = samul nori
트로트|뽕짝 = trot
엔카 = enka
폴카 = polka
가요 = Korean pop
사이버펑크 = cyberpunk
스팀펑크 = steampunk
느와르|누아르 = noir
웨스턴 = western
호러 = horror
스릴러 = thriller
판타지 = fantasy
퓨전 = fusion
액션 = action
레트로 게임 = retro game
`,
  ),
  table(
    'instrument',
    'noun',
    `
피아노 = piano
그랜드 피아노 = grand piano
업라이트 피아노 = upright piano
일렉트릭 피아노|일렉 피아노|전자 피아노 = electric piano
로즈 피아노 = Rhodes piano
로즈 = Rhodes
토이 피아노 = toy piano
키보드 = keyboard
건반 = keys
오르간 = organ
파이프 오르간 = pipe organ
하몬드 오르간|해먼드 오르간 = Hammond organ
하프시코드|쳄발로 = harpsichord
신디사이저|신시사이저 = synthesizer
신스|신디 = synth
아날로그 신스 = analog synth
모듈러 신스 = modular synth
신스 패드 = synth pad
패드 = pads
신스 리드|리드 신스 = synth lead
신스 베이스 = synth bass
아르페지오 = arpeggios
아르페지에이터 = arpeggiator
플럭 = plucks
기타 = guitar
어쿠스틱 기타 = acoustic guitar
통기타 = acoustic guitar
클래식 기타 = classical guitar
나일론 기타 = nylon guitar
일렉트릭 기타|일렉 기타|전기 기타 = electric guitar
디스토션 기타 = distorted guitar
재즈 기타 = jazz guitar
기타 리프 = guitar riff
기타리스트 = guitarist
핑거스타일|핑거 스타일 = fingerstyle
베이스 = bass
베이스 기타 = bass guitar
일렉 베이스 = electric bass
콘트라베이스|더블 베이스 = double bass
업라이트 베이스 = upright bass
슬랩 베이스 = slap bass
워킹 베이스 = walking bass
서브 베이스 = sub bass
우쿨렐레|우쿠렐레 = ukulele
만돌린 = mandolin
밴조 = banjo
하프 = harp
바이올린 = violin
비올라 = viola
첼로 = cello
현악기|현악 = strings
스트링|스트링스 = strings
현악 사중주|현악 4중주 = string quartet
피치카토 = pizzicato
오케스트라 = orchestra / orchestral
관현악|관현악단 = orchestra / orchestral
실내악 = chamber music
체임버 오케스트라 = chamber orchestra
관악기 = wind instruments
금관악기|금관 = brass
브라스 = brass
목관악기|목관 = woodwinds
호른 = horns
프렌치 호른 = French horn
트럼펫 = trumpet
뮤트 트럼펫 = muted trumpet
트롬본 = trombone
튜바 = tuba
색소폰|섹소폰|색스폰 = saxophone
알토 색소폰 = alto saxophone
테너 색소폰 = tenor saxophone
클라리넷 = clarinet
플루트|플룻 = flute
오보에 = oboe
바순 = bassoon
하모니카 = harmonica
아코디언|아코디온 = accordion
리코더 = recorder
팬플룻|팬 플루트 = pan flute
오카리나 = ocarina
백파이프 = bagpipes
드럼 = drums
드럼 세트|드럼셋|드럼 키트 = drum kit
드럼 머신 = drum machine
어쿠스틱 드럼 = acoustic drums
브러시 드럼 = brushed drums
킥 = kick
킥 드럼 = kick drum
베이스 드럼 = bass drum
스네어 = snare
하이햇|하이 햇 = hi-hats
심벌|심벌즈 = cymbals
팀파니 = timpani
타악기|퍼커션 = percussion
마림바 = marimba
실로폰 = xylophone
비브라폰 = vibraphone
글로켄슈필 = glockenspiel
첼레스타 = celesta
오르골|뮤직박스|뮤직 박스 = music box
종 = bell
종소리 = bells
벨 = bells
윈드 차임 = wind chimes
차임 = chimes
탬버린 = tambourine
봉고 = bongos
콩가 = congas
카혼 = cajon
젬베 = djembe
트라이앵글 = triangle
캐스터네츠 = castanets
셰이커|쉐이커 = shaker
박수|박수 소리|핸드클랩 = handclaps
핑거 스냅 = finger snaps
스틸 드럼|스틸팬 = steel drums
핸드팬 = handpan
칼림바 = kalimba
시타르 = sitar
타블라 = tabla
샤미센 = shamisen
고토 = koto
얼후 = erhu
가야금 = gayageum
거문고 = geomungo
해금 = haegeum
대금 = daegeum
피리 = piri
단소 = danso
태평소 = taepyeongso
아쟁 = ajaeng
장구|장고 = janggu
꽹과리 = kkwaenggwari
징 = gong
보컬 = vocals
목소리 = voice
남자 보컬|남성 보컬 = male vocals
여자 보컬|여성 보컬 = female vocals
소프라노 = soprano
합창|합창단|콰이어 = choir
코러스 = chorus
허밍 = humming
휘파람 = whistling
아카펠라 = a cappella
비트박스 = beatbox
싱잉볼|싱잉 볼 = singing bowls
턴테이블 = turntables
스크래치 = scratching
오토튠 = auto-tune
보코더 = vocoder
밴드 = band
트리오 = trio
콰르텟 = quartet
앙상블 = ensemble
듀엣 = duet
이중주 = duet
삼중주 = trio
사중주 = quartet
오중주 = quintet
`,
  ),
  table(
    'production',
    'noun',
    `
음악 = music
노래 = song
곡 = track
연주곡|인스트루멘탈|인스트 = instrumental
가사 없는|가사없는|가사 없이 = instrumental
배경 음악|배경음악|브금|비지엠 = background music
가사 = lyrics
멜로디|선율 = melody
코드 = chords
코드 진행 = chord progression
화음|하모니 = harmony
불협화음 = dissonance
반주 = accompaniment
연주 = performance
합주 = ensemble playing
즉흥 연주|즉흥연주 = improvisation
잼 = jam
리버브|잔향 = reverb
에코 = echo
딜레이 = delay
디스토션 = distortion
오버드라이브 = overdrive
퍼즈 = fuzz
플랜저 = flanger
페이저 = phaser
사이드체인|사이드 체인 = sidechain
컴프레션 = compression
필터 = filter
로우패스 필터|로우패스 = low-pass filter
테이프 = tape
테이프 질감 = tape texture
질감 = texture
노이즈 = noise
화이트 노이즈 = white noise
바이닐|엘피 = vinyl
바이닐 노이즈|엘피 노이즈|레코드 노이즈 = vinyl crackle
아날로그 = analog
디지털 = digital
하이파이 = hi-fi
고음질 = high quality
스테레오 = stereo
모노 = mono
라이브 = live
라이브 녹음 = live recording
녹음 = recording
스튜디오 = studio
믹스|믹싱 = mix
마스터링 = mastering
편곡|어레인지 = arrangement
샘플 = samples
샘플링 = sampling
루프 = loop
비트 = beat
그루브 = groove
리듬 = rhythm
베이스라인|베이스 라인 = bassline
리프 = riff
솔로 = solo
독주 = solo
인트로 = intro
아웃트로 = outro
후렴|후렴구 = chorus
벌스 = verse
브릿지 = bridge
드롭 = drop
빌드업|빌드 업 = build-up
클라이맥스|절정 = climax
페이드 인 = fade-in
페이드 아웃 = fade-out
전조 = key change
변주 = variation
효과음|음향 효과 = sound effects
앰비언스|환경음 = ambience
자연의 소리|자연 소리|자연음 = nature sounds
빗소리 = rain sounds
파도 소리|파도소리 = ocean waves
새소리|새 소리|새들의 지저귐 = birdsong
바람 소리|바람소리 = wind sounds
모닥불 소리 = crackling fire
시냇물 소리|시냇물|물소리 = babbling brook
천둥 소리|천둥소리 = thunder
심장 소리|심장박동|심장 박동 = heartbeat
웅성거림 = crowd chatter
글리치 = glitch
저음 = low end
고음 = high notes
음색|톤 = tone
사운드 = sound
소리 = sound
리믹스 = remix
커버 = cover
메들리 = medley
엇박|엇박자|당김음|싱코페이션 = syncopation
스타카토 = staccato
레가토 = legato
셔플 = shuffle
게임 = video game
광고 = commercial
브이로그 = vlog
영상 = video
팟캐스트 = podcast
영화 = film
드라마 = drama
애니메이션 = animation
애니 = anime
다큐멘터리 = documentary
지브리 = Ghibli
디즈니 = Disney
`,
  ),
  table(
    'mood',
    'adj',
    `
잔잔하다|잔잔 = calm
차분하다|차분 = calm
평온하다 = tranquil
평화롭다 = peaceful
고요하다 = serene
조용하다 = quiet
편안하다|편하다 = relaxing
포근하다 = cozy
아늑하다 = cozy
따뜻하다|따듯하다|따스하다 = warm
부드럽다 = soft
감미롭다 = mellow
그윽하다 = mellow
달콤하다|달달하다 = sweet
몽환적이다|몽환 = dreamy
꿈같다|꿈 같다 = dreamlike
신비롭다|신비하다|신비스럽다 = mysterious
아련하다 = wistful
그립다 = nostalgic
애틋하다 = tender
촉촉하다 = tender
감성적이다|감성 = emotional
서정적이다 = lyrical
낭만적이다 = romantic
로맨틱하다|로맨틱 = romantic
사랑스럽다 = lovely
귀엽다 = cute
발랄하다 = bubbly
경쾌하다 = bouncy
신나다|신 나다 = upbeat
흥겹다 = festive
즐겁다 = joyful
기쁘다 = joyful
행복하다 = happy
밝다 = bright
명랑하다|유쾌하다|쾌활하다 = cheerful
희망차다|희망적이다 = hopeful
긍정적이다 = positive
활기차다|생기있다|생기 있다 = lively
에너지 넘치다|에너제틱하다|에너지틱하다 = energetic
역동적이다 = dynamic
강렬하다 = intense
파워풀하다|힘차다 = powerful
웅장하다 = epic
장엄하다 = majestic
비장하다 = solemn
엄숙하다 = solemn
경건하다 = reverent
신성하다 = sacred
숭고하다 = sublime
영웅적이다 = heroic
서사적이다 = epic
거대하다 = massive
감동적이다 = moving
벅차다 = uplifting
뭉클하다|찡하다 = touching
어둡다 = dark
음산하다 = eerie
음침하다 = gloomy
으스스하다 = spooky
무섭다|공포스럽다 = scary
불길하다 = ominous
기괴하다 = eerie
긴장감 있다|긴장감 넘치다|긴장감 = tense
긴박하다 = urgent
불안하다 = uneasy
초조하다 = anxious
슬프다 = sad
우울하다 = melancholic
구슬프다 = mournful
서글프다 = sorrowful
쓸쓸하다 = lonely
외롭다 = lonely
애절하다 = heartrending
애잔하다|처량하다 = plaintive
먹먹하다 = poignant
씁쓸하다 = bittersweet
허무하다|공허하다 = hollow
시원하다 = refreshing
청량하다 = refreshing
상쾌하다|산뜻하다|상큼하다|신선하다 = fresh
깔끔하다 = clean
세련되다 = sophisticated
고급스럽다 = classy
우아하다 = elegant
섹시하다 = sexy
관능적이다 = sensual
그루비하다 = groovy
펑키하다|펑키 = funky
재지하다 = jazzy
칠하다|칠 = chill
나른하다 = lazy
느긋하다 = laid-back
여유롭다|여유 있다 = relaxed
한가롭다 = leisurely
자유롭다 = free-spirited
순수하다 = pure
맑다 = clear
투명하다 = crystal-clear
청아하다 = crystalline
영롱하다 = shimmering
묵직하다|무겁다 = heavy
가볍다 = light
거칠다 = gritty
날카롭다 = sharp
공격적이다 = aggressive
격렬하다 = fierce
폭발적이다 = explosive
미니멀하다 = minimal
단순하다|심플하다 = simple
단조롭다 = monotonous
복잡하다 = complex
화려하다 = lush
풍성하다|풍부하다 = rich
레트로하다 = retro
빈티지하다 = vintage
고전적이다 = classic
현대적이다|모던하다 = modern
미래적이다 = futuristic
실험적이다 = experimental
몽롱하다 = hazy
아름답다 = beautiful
예쁘다 = pretty
장난스럽다 = playful
재미있다|재밌다 = fun
흥미진진하다 = thrilling
설레다 = heart-fluttering
두근거리다 = heart-pounding
진지하다 = serious
당당하다 = confident
씩씩하다 = spirited
은은하다 = subtle
차갑다 = cold
뜨겁다 = hot
깊다 = deep
낮다 = low
몽글몽글하다 = fuzzy
소박하다 = rustic
구수하다 = earthy
정겹다 = heartwarming
시크하다 = chic
힙하다 = hip
트렌디하다 = trendy
도시적이다 = urban
감각적이다 = stylish
환상적이다 = fantastical
마법 같다 = magical
동화 같다 = fairytale-like
영화 같다 = cinematic
천국 같다 = heavenly
독특하다 = unique
이국적이다 = exotic
동양적이다 = East Asian
전통적이다 = traditional
시끄럽다 = loud
강하다|세다 = strong
약하다 = soft
크다 = big
작다 = small
넓다 = wide
오래되다 = old
새롭다 = new
흐리다 = cloudy
춥다 = cold
덥다 = hot
습하다 = humid
향수 = nostalgic
새벽 감성 = late-night emotional
다크 = dark
리버브 가득하다|리버브가 가득하다|리버브 잔뜩 = reverb-drenched
눈물|눈물 나다 = tearful
`,
  ),
  table(
    'motion',
    'adj',
    `
반짝이다|반짝반짝하다 = sparkling
빛나다 = shining
흐르다 = flowing
춤추다 = dancing
떠다니다 = floating
속삭이다 = whispering
질주하다 = racing
달리다 = running
몰아치다 = driving
휘몰아치다 = sweeping
고조되다|점점 고조되다 = building
폭발하다 = exploding
울려 퍼지다 = echoing
울리다 = ringing
흔들리다 = swaying
일렁이다|출렁이다 = undulating
지직거리다 = crackling
안개 끼다|안개 낀 = foggy
비 오다|비가 오다|비 내리다|비가 내리다 = rainy
눈 오다|눈이 오다|눈 내리다|눈이 내리다 = snowy
별이 빛나다 = starry
`,
  ),
  table(
    'era',
    'adj',
    `
레트로 = retro
복고 = retro
뉴트로 = newtro
빈티지 = vintage
올드스쿨|올드 스쿨 = old-school
옛날|옛 = old-time
중세 = medieval
르네상스 = Renaissance
고전파 = Classical-era
현대 = modern
미래 = futuristic
세기말 = fin-de-siècle
전자 = electronic
동양 = East Asian
서양 = Western
아랍 = Arabic
중국 = Chinese
일본 = Japanese
한국 = Korean
인도 = Indian
스페인 = Spanish
프랑스 = French
아프리카 = African
남미 = South American
북유럽 = Nordic
미국 = American
영국 = British
`,
  ),
  table(
    'tempo-word',
    'adj',
    `
슬로우|슬로 = slow
느리다|느릿하다|느릿느릿하다|천천히 = slow
빠르다 = fast
급하다 = hurried
`,
  ),
  table(
    'tempo',
    'tempo',
    `
업템포|업 템포 = uptempo
미드템포|미드 템포|미디엄 템포|중간 템포|보통 템포 = mid-tempo
아다지오 = adagio
안단테 = andante
모데라토 = moderato
알레그로 = allegro
프레스토 = presto
라르고 = largo
렌토 = lento
비바체 = vivace
아첼레란도|점점 빠르게 = accelerando
리타르단도|점점 느리게 = ritardando
크레센도|크레셴도|점점 세게 = crescendo
데크레센도|점점 여리게 = decrescendo
하프타임|하프 타임 = half-time
더블타임|더블 타임 = double-time
이박자 = 2/4 time
삼박자 = 3/4 time
사박자 = 4/4 time
`,
  ),
  table(
    'tempo-head',
    'tempo-head',
    `
템포|빠르기 = tempo
박자 = beat
`,
  ),
  table(
    'key',
    'key',
    `
장조|메이저 = major key
단조|마이너 = minor key
메이저 키 = major key
마이너 키 = minor key
도리안 = dorian mode
리디안 = lydian mode
믹솔리디안 = mixolydian mode
프리지안|프리지언 = phrygian mode
에올리안 = aeolian mode
로크리안 = locrian mode
펜타토닉|오음음계|5음 음계 = pentatonic scale
블루스 스케일 = blues scale
화성 단음계 = harmonic minor
가락 단음계|선율 단음계 = melodic minor
반음계 = chromatic scale
온음 음계 = whole-tone scale
`,
  ),
  table(
    'scene',
    'scene',
    `
비 오는 날 = rainy day
비 오는 밤 = rainy night
비 = rain
빗속|빗 속 = rain
장마|장마철 = rainy season
봄비 = spring rain
소나기 = rain shower
눈 = snow
눈 오는 날 = snowy day
눈보라 = blizzard
날 = day
날씨 = weather
맑은 날 = sunny day
여름 = summer
봄 = spring
가을 = autumn
겨울 = winter
여름날 = summer day
봄날 = spring day
가을날 = autumn day
겨울날 = winter day
아침 = morning
이른 아침 = early morning
오후 = afternoon
저녁 = evening
해 질 녘|해질녘|해 질 무렵|황혼 = dusk
노을|석양|저녁노을|일몰 = sunset
일출|해돋이 = sunrise
새벽 = dawn
밤 = night
늦은 밤|심야 = late night
한밤중|한밤|자정 = midnight
주말 = weekend
일요일 = Sunday
출근길 = morning commute
퇴근길 = commute home
카페 = cafe
커피숍|커피 숍 = coffee shop
커피 = coffee
바 = bar
재즈 바 = jazz bar
클럽 = club
레스토랑|식당 = restaurant
호텔 = hotel
호텔 로비 = hotel lobby
서점 = bookstore
도서관 = library
학교|교실 = school
사무실 = office
방 = room
침실 = bedroom
집 = home
거실 = living room
부엌 = kitchen
옥상 = rooftop
창가 = by the window
기차|열차 = train
지하철 = subway
버스 = bus
비행기 = airplane
공항 = airport
도시 = city
대도시 = big city
도심 = downtown
거리|길거리 = street
골목|골목길 = alley
네온|네온사인|네온 사인 = neon
시골 = countryside
마을 = village
농장 = farm
공원 = park
정원 = garden
숲|숲속 = forest
산|산속 = mountains
언덕 = hill
들판|초원 = meadow
바다 = ocean
해변|바닷가|해안 = beach
섬 = island
파도 = waves
강|강가 = river
호수 = lake
폭포 = waterfall
사막 = desert
우주 = outer space
별 = stars
별빛 = starlight
밤하늘 = night sky
하늘 = sky
달 = moon
달빛 = moonlight
구름 = clouds
안개 = fog
바람 = wind
폭풍|폭풍우 = storm
천둥 = thunder
번개 = lightning
햇살|햇빛 = sunshine
드라이브 = driving
여행 = travel
산책 = walk
캠핑 = camping
모닥불 = campfire
벽난로 = fireplace
파티 = party
축제|페스티벌 = festival
콘서트|공연 = concert
무대 = stage
결혼식|웨딩 = wedding
생일 = birthday
졸업식 = graduation
장례식 = funeral
크리스마스|성탄절 = Christmas
크리스마스 이브 = Christmas Eve
노래방 = karaoke
연인 = lovers
할로윈|핼러윈 = Halloween
새해 = New Year
연말 = holiday season
데이트 = date night
고백 = confession
이별 = breakup
첫사랑 = first love
사랑 = love
추억 = memories
꿈 = dream
고향 = hometown
전투|전쟁 = battle
모험 = adventure
던전 = dungeon
마법 = magic
왕국 = kingdom
성 = castle
성당|대성당 = cathedral
교회 = church
풍경 = landscape
보스전|보스 전투 = boss battle
추격전|추격 = chase scene
저녁 식사|디너 = dinner
어린이|아이들 = children
고양이 = cat
강아지 = puppy
`,
  ),
  table(
    'purpose',
    'purpose',
    `
공부|공부할 때|공부하면서|공부용 = for studying
집중|집중할 때|집중용 = for focus
독서|책 읽을 때|책 읽으면서 = for reading
작업|작업할 때|작업용|일할 때|업무 = for working
수면|잠잘 때|잘 때|잠들 때|잠들기 전|자기 전|수면용 = for sleep
휴식|쉴 때|쉬면서 = for relaxing
명상|명상할 때 = for meditation
요가 = for yoga
운동|운동할 때|운동용|헬스 = for working out
러닝|달리기|조깅 = for running
운전|운전할 때|드라이브할 때 = for driving
요리|요리할 때 = for cooking
게임할 때 = for gaming
`,
  ),
  table(
    'extra',
    'extra',
    `
노 보컬|보컬 없음 = no vocals
노 드럼|드럼 없음 = no drums
`,
  ),
  table(
    'filler-break',
    'filler-break',
    `
듣기 좋은|듣기좋은|듣기 편한|들으면 좋은|듣기 좋게 = —
듣는|듣던|들을|듣기|듣고 싶은|들을 수 있는|듣고|들으며|들으면서 = —
어울리는|잘 어울리는|어울릴 = —
위한|위해|위해서 = —
틀어 놓기 좋은|틀어놓기 좋은|틀기 좋은|틀어 놓는|틀어놓는 = —
나오는|흘러나오는|깔리는|깔린 = —
들어간|들어가는|포함한|포함된|곁들인|섞인|가미된 = —
위주의|위주로|중심의|중심으로 = —
연주하는|연주되는|연주한|연주된|치는|부르는 = —
만든|만들어진|담은|담긴|느껴지는|생각나는|떠오르는 = —
만들어줘|만들어 줘|만들어 주세요|만들어주세요|만들어|작곡해줘|작곡해 줘|생성해줘|생성해 줘 = —
해줘|해 줘|해주세요|해 주세요|주세요|부탁해|부탁해요|부탁합니다|원해|원해요 = —
하는|되는|있는 = —
돋보이는|돋보이다|어우러진|어우러지는|함께|함께하는|함께 하는 = —
듯한|듯이|듯|만한|할 만한|들려주는|들려주던|들려줄 = —
좋은|좋다|좋고|좋게|괜찮은 = —
`,
  ),
  table(
    'filler-soft',
    'filler-soft',
    `
느낌|분위기|무드|바이브|장르|계열|종류|정도 = —
앞|옆|근처|주변|곁|안|속|가운데|한가운데|위|아래|밑 = —
기타 등등|등등|등 = —
우리|내|나의|너의|당신의 = —
그|이|저|그런 느낌|이런 느낌 = —
같은|같이|것 같은|스러운 = —
좀 더|더|많이 = —
그냥|그런|이런|저런|어떤|뭔가|한|두|바로|별로|하나 = —
`,
  ),
  table(
    'function',
    'very',
    `
가장|제일|아주|매우|정말|진짜|엄청|완전|너무|무척|굉장히|되게|몹시 = very
`,
  ),
  table(
    'function',
    'slightly',
    `
약간|살짝|조금|좀|다소 = slightly
`,
  ),
  table(
    'function',
    'neg',
    `
없는|없이|없고|빼고|뺀|제외한|제외하고|말고 = no
`,
  ),
  table(
    'function',
    'style',
    `
풍|스타일 = style
`,
  ),
  table(
    'function',
    'and',
    `
그리고|및 = and
`,
  ),
  table(
    'function',
    'or',
    `
또는|혹은 = or
`,
  ),
];
